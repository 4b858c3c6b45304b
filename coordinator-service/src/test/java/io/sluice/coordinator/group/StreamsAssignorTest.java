package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Where the streams assignor places standby tasks: with an instance that held the task before, then with the one
 * whose reported state of the task is furthest along its changelog (its task offsets), then with the least loaded.
 */
class StreamsAssignorTest {

    private static final TaskId TASK = new TaskId("1", 0);
    private static final Tasks ACTIVE_BEFORE = new Tasks(Set.of(TASK), Set.of(), Set.of());

    @Test
    void aStandbyGoesToTheInstancesFurthestAlongTheTasksChangelogBeforeOneWithoutState() {
        List<StreamsAssignor.Member> members = List.of(
                member("m1", ACTIVE_BEFORE, Map.of()),
                member("m2", Tasks.NONE, Map.of(TASK, 10L)),
                member("m3", Tasks.NONE, Map.of(TASK, 50L)),
                member("m4", Tasks.NONE, Map.of()));

        SortedMap<String, Tasks> one = StreamsAssignor.assign(members, new TreeSet<>(Set.of(TASK)), Set.of("1"), 1);
        SortedMap<String, Tasks> two = StreamsAssignor.assign(members, new TreeSet<>(Set.of(TASK)), Set.of("1"), 2);

        assertThat(one.get("m1").active()).containsExactly(TASK);
        assertThat(one).allSatisfy((member, tasks) ->
                assertThat(tasks.standby()).hasSize(member.equals("m3") ? 1 : 0));
        assertThat(two.get("m3").standby()).containsExactly(TASK);
        assertThat(two.get("m2").standby()).containsExactly(TASK);
        assertThat(two.get("m4").standby()).isEmpty();
    }

    @Test
    void anInstanceThatHeldTheTaskBeforeKeepsItsStandbyOverOneThatReportsMoreState() {
        List<StreamsAssignor.Member> members = List.of(
                member("m1", ACTIVE_BEFORE, Map.of()),
                member("m2", new Tasks(Set.of(), Set.of(TASK), Set.of()), Map.of(TASK, 10L)),
                member("m3", Tasks.NONE, Map.of(TASK, 50L)));

        SortedMap<String, Tasks> targets = StreamsAssignor.assign(members, new TreeSet<>(Set.of(TASK)), Set.of("1"),
                1);

        assertThat(targets.get("m2").standby()).containsExactly(TASK);
        assertThat(targets.get("m3").standby()).isEmpty();
    }

    private static StreamsAssignor.Member member(String id, Tasks previous, Map<TaskId, Long> offsets) {
        return new StreamsAssignor.Member(id, "process-" + id, previous, offsets);
    }
}
