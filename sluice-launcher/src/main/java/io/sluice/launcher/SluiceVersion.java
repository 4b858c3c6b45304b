package io.sluice.launcher;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version this jar was built with. */
public final class SluiceVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"Sluice " + BuildInfo.version()};
    }
}
