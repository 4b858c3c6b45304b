package io.sluice.testing;

/**
 * Marks a JUnit extension that hands its test classes one cluster, open while they run ({@link SharedClusters}). The
 * classes extended with one run after all others, grouped by extension ({@link SharedClusterLast}).
 */
public interface SharedCluster {
}
