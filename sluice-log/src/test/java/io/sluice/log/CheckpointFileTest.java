package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileReadsAsEmpty() throws IOException {
        assertThat(new CheckpointFile(dir.resolve("absent")).read()).isEmpty();
    }

    @Test
    void writeReplacesTheWholeContentAndLeavesNoTempFile() throws IOException {
        CheckpointFile checkpoint = new CheckpointFile(dir.resolve("cp"));
        checkpoint.write(List.of("0", "a", "b", "c"));
        checkpoint.write(List.of("0", "x"));
        assertThat(checkpoint.read()).hasValue(List.of("0", "x"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("cp"));
        }
    }

    @Test
    void aTempFileLeftByACrashMidWriteIsIgnoredAndOverwritten() throws IOException {
        CheckpointFile checkpoint = new CheckpointFile(dir.resolve("cp"));
        checkpoint.write(List.of("old"));
        Files.writeString(dir.resolve("cp.tmp"), "half-writ");
        assertThat(checkpoint.read()).hasValue(List.of("old"));
        checkpoint.write(List.of("new"));
        assertThat(checkpoint.read()).hasValue(List.of("new"));
        assertThat(dir.resolve("cp.tmp")).doesNotExist();
    }
}
