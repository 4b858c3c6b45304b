package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PidFileTest {

    @TempDir
    Path runDir;

    @Test
    void aWrittenPidReadsBack() {
        PidFile pidFile = PidFile.of(runDir.resolve("run"), "partition-2");

        pidFile.write(4242);

        assertThat(pidFile.path()).hasFileName("partition-2.pid").hasContent("4242");
        assertThat(pidFile.read()).hasValue(4242);
        assertThat(pidFile.service()).isEqualTo("partition-2");
    }

    @Test
    void aMissingFileHoldsNoPid() {
        assertThat(PidFile.of(runDir, "coordinator").read()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5", "0", "12 34", "99999999999999999999"})
    void whenTheFileDoesNotHoldAPositiveNumberShouldReadNoPid(String content) throws IOException {
        PidFile pidFile = PidFile.of(runDir, "coordinator");
        Files.writeString(pidFile.path(), content);

        assertThat(pidFile.read()).isEmpty();
    }

    @Test
    void deleteRemovesTheFileAndToleratesItsAbsence() {
        PidFile pidFile = PidFile.of(runDir, "gateway");
        pidFile.write(1);

        pidFile.delete();
        pidFile.delete();

        assertThat(pidFile.exists()).isFalse();
    }
}
