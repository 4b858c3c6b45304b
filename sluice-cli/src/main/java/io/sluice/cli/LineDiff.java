package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of two texts compared, as a unified diff shows them without its hunks: each line of the longest common
 * subsequence of the two with {@code " "}, each line only in the first with {@code "-"}, each only in the second with
 * {@code "+"}, removals before additions at each place. Quadratic in the lines: meant for schemas, not for logs.
 */
final class LineDiff {

    private LineDiff() {
    }

    static List<String> of(List<String> from, List<String> to) {
        int[][] common = new int[from.size() + 1][to.size() + 1];
        for (int i = from.size() - 1; i >= 0; i--) {
            for (int j = to.size() - 1; j >= 0; j--) {
                common[i][j] = from.get(i).equals(to.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < from.size() || j < to.size()) {
            if (i < from.size() && j < to.size() && from.get(i).equals(to.get(j))) {
                lines.add(" " + from.get(i++));
                j++;
            } else if (j == to.size() || i < from.size() && common[i + 1][j] >= common[i][j + 1]) {
                lines.add("-" + from.get(i++));
            } else {
                lines.add("+" + to.get(j++));
            }
        }
        return lines;
    }
}
