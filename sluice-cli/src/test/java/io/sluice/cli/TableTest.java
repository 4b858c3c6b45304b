package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndTheLastIsNotPadded() {
        Table table = new Table("NAME", "PARTITIONS", "SIZE").row("orders", 12, "1.5 KiB").row("a", 1, null);

        assertThat(table.render()).isEqualTo("""
                NAME    PARTITIONS  SIZE
                orders  12          1.5 KiB
                a       1           -
                """);
    }

    @Test
    void aTableWithoutRowsIsItsHeader() {
        assertThat(new Table("GROUP", "LAG").render()).isEqualTo("GROUP  LAG\n");
        assertThat(new Table("GROUP").isEmpty()).isTrue();
    }

    @Test
    void whenARowHasTheWrongNumberOfCellsShouldRefuseIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Table("A", "B").row("x"));
    }
}
