package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The line diff of two schema texts. */
class LineDiffTest {

    @Test
    void commonLinesStayAndTheOthersAreRemovedOrAdded() {
        assertThat(LineDiff.of(List.of("a", "b", "c"), List.of("a", "x", "c", "d")))
                .containsExactly(" a", "-b", "+x", " c", "+d");
    }

    @Test
    void equalTextsHaveNoChangesAndEmptyOnesOnlyAdditionsOrRemovals() {
        assertThat(LineDiff.of(List.of("a", "b"), List.of("a", "b"))).containsExactly(" a", " b");
        assertThat(LineDiff.of(List.of(), List.of("a"))).containsExactly("+a");
        assertThat(LineDiff.of(List.of("a"), List.of())).containsExactly("-a");
    }
}
