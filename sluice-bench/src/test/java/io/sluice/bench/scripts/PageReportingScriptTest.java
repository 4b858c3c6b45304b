package io.sluice.bench.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/page-reporting.sh} on a directory of plain files standing in for the kernel's
 * {@code /sys/module/page_reporting/parameters} (and without touching memory): what a benchmark run records, and
 * that hold and restore leave the machine's setting as they found it.
 */
class PageReportingScriptTest {

    private static final Path SCRIPT = Path.of("..", "bench", "page-reporting.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path params;
    private Path state;

    @BeforeEach
    void theBoxDefaults() throws IOException {
        params = Files.createDirectory(dir.resolve("parameters"));
        state = dir.resolve("saved");
        Files.writeString(params.resolve("page_reporting_order"), "9\n");
        Files.writeString(params.resolve("min_free_ms"), "0\n");
        Files.writeString(params.resolve("reported_kib"), "4631728\n");
    }

    @Test
    void showPrintsEveryParameter() throws Exception {
        Run run = run("show");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("page reporting: page_reporting_order=9", "page reporting: min_free_ms=0",
                "page reporting: reported_kib=4631728");
    }

    @Test
    void showSaysSoOnAMachineWithoutPageReporting() throws Exception {
        params = dir.resolve("absent");

        Run run = run("show");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("page reporting: none on this machine");
    }

    @Test
    void holdStopsReportingAndRestorePutsTheDefaultsBack() throws Exception {
        Run held = run("hold");

        assertThat(held.exit()).as(held.output()).isZero();
        assertThat(value("page_reporting_order")).isEqualTo("11");
        assertThat(value("min_free_ms")).isEqualTo("60000");
        assertThat(held.output()).contains("page reporting: page_reporting_order=11");

        Run restored = run("restore");

        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(value("page_reporting_order")).isEqualTo("9");
        assertThat(value("min_free_ms")).isEqualTo("0");
        assertThat(state).doesNotExist();
    }

    @Test
    void holdingTwiceStillRestoresTheValuesFromBeforeTheFirstHold() throws Exception {
        assertThat(run("hold").exit()).isZero();
        assertThat(run("hold").exit()).isZero();

        assertThat(run("restore").exit()).isZero();

        assertThat(value("page_reporting_order")).isEqualTo("9");
        assertThat(value("min_free_ms")).isEqualTo("0");
    }

    @Test
    void restoreWithoutHoldChangesNothing() throws Exception {
        Run run = run("restore");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("nothing to restore");
        assertThat(value("page_reporting_order")).isEqualTo("9");
        assertThat(value("min_free_ms")).isEqualTo("0");
    }

    @Test
    void anUnknownVerbIsRefusedAndChangesNothing() throws Exception {
        Run run = run("drop");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("usage:");
        assertThat(value("page_reporting_order")).isEqualTo("9");
        assertThat(state).doesNotExist();
    }

    private String value(String parameter) throws IOException {
        return Files.readString(params.resolve(parameter)).strip();
    }

    private Run run(String verb) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", SCRIPT.toString(), verb)).redirectErrorStream(true);
        builder.environment().put("PAGE_REPORTING_PARAMS", params.toString());
        builder.environment().put("PAGE_REPORTING_TOUCH", "0");
        builder.environment().put("STATE", state.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private record Run(int exit, String output) {
    }
}
