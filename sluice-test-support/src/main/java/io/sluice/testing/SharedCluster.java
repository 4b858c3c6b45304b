package io.sluice.testing;

/**
 * Marks a JUnit extension that hands its test classes one cluster for the whole run. The classes extended with one run
 * after all others ({@link SharedClusterLast}).
 */
public interface SharedCluster {
}
