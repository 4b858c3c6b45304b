package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KIP-447's fence of a transactional offset commit against a consumer group: the member the producer names must be
 * the group's, at the epoch named.
 */
class TransactionalCommitsTest {

    private final MetadataView view = OneTopic.view(2);
    private ConsumerGroup group;

    private GroupHeartbeatResponse join(String memberId) {
        GroupDecision<GroupHeartbeatResponse> decision = GroupRules.heartbeat(group, "g",
                GroupHeartbeatRequest.join(memberId, List.of("t")), view, StreamsTestTopology.LIMITS, () -> memberId);
        group = decision.after();
        return decision.result();
    }

    @Test
    void theGroupsMemberAtItsEpochCommits() {
        GroupHeartbeatResponse member = join("m");

        assertThatCode(() -> TransactionalCommits.check(group, "g", "m", member.memberEpoch()))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherEpochIsAnIllegalGeneration() {
        GroupHeartbeatResponse member = join("m");

        for (int epoch : new int[] {member.memberEpoch() - 1, member.memberEpoch() + 1, -1}) {
            assertThatThrownBy(() -> TransactionalCommits.check(group, "g", "m", epoch))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.errorCode())
                                    .isEqualTo(ErrorCode.ILLEGAL_GENERATION));
        }
    }

    @Test
    void aMemberThatLeftOrNeverWasIsUnknown() {
        GroupHeartbeatResponse member = join("m");
        group = GroupRules.heartbeat(group, "g", GroupHeartbeatRequest.leave("m"), view, StreamsTestTopology.LIMITS,
                () -> "x").after();

        for (ConsumerGroup state : new ConsumerGroup[] {group, null}) {
            assertThatThrownBy(() -> TransactionalCommits.check(state, "g", "m", member.memberEpoch()))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.errorCode())
                                    .isEqualTo(ErrorCode.UNKNOWN_MEMBER));
        }
    }
}
