package io.sluice.gateway.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareError;
import io.sluice.internal.share.RecordState;
import io.sluice.protocol.SluiceException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The share-group bodies' checks, and how the coordinator's answers become the public API's. */
class ShareRequestsTest {

    @ParameterizedTest
    @EnumSource(ShareError.class)
    void everyCoordinatorErrorHasThePublicCodeOfItsName(ShareError error) {
        assertThat(AcknowledgementError.of(error).name()).isEqualTo(error.name());
    }

    @Test
    void thePublicCodesAreExactlyTheCoordinatorsReasons() {
        assertThat(Arrays.stream(AcknowledgementError.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(ShareError.values()).map(Enum::name).toList());
        assertThat(AcknowledgementError.of(null)).as("no error").isNull();
    }

    @Test
    void anItemResultCarriesTheRequestsItemTheErrorsAndTheStatesInLowerCase() {
        ShareRequests.Item item = new ShareRequests.Item("t", 2, null, 4L, 5L, "RELEASE");
        ShareAcknowledgeResponse.ItemResult answer = new ShareAcknowledgeResponse.ItemResult(null, List.of(
                new ShareAcknowledgeResponse.RecordOutcome(4, null, RecordState.AVAILABLE, 0),
                new ShareAcknowledgeResponse.RecordOutcome(5, ShareError.LOCK_EXPIRED, RecordState.AVAILABLE, 0)));

        ShareViews.ItemResult result = ShareAcknowledgements.result(item, answer);

        assertThat(result.type()).isEqualTo("release");
        assertThat(result.firstOffset()).isEqualTo(4);
        assertThat(result.error()).isNull();
        assertThat(result.records()).extracting(ShareViews.RecordResult::error)
                .containsExactly(null, AcknowledgementError.LOCK_EXPIRED);
        assertThat(result.records()).extracting(ShareViews.RecordResult::state).containsOnly("available");
    }

    @Test
    void anItemNamesAnAcquisitionIdOrAWholeRangeAndAKnownType() {
        assertThat(new ShareRequests.Item("t", 0, 7L, null, null, "accept").toInternal())
                .isEqualTo(ShareAcknowledgeRequest.Item.of(7, AcknowledgeType.ACCEPT));
        assertThat(new ShareRequests.Item("t", 0, null, 1L, 3L, "Renew").toInternal())
                .isEqualTo(ShareAcknowledgeRequest.Item.range(1, 3, AcknowledgeType.RENEW));
        List.of(new ShareRequests.Item("t", 0, 7L, 1L, 3L, "accept"),
                new ShareRequests.Item("t", 0, null, 1L, null, "accept"),
                new ShareRequests.Item("t", 0, null, null, null, "accept"),
                new ShareRequests.Item("t", 0, 7L, null, null, "ignore"),
                new ShareRequests.Item("t", 0, 7L, null, null, null),
                new ShareRequests.Item(null, 0, 7L, null, null, "accept"),
                new ShareRequests.Item("t", -1, 7L, null, null, "accept"),
                new ShareRequests.Item("t", null, 7L, null, null, "accept"))
                .forEach(item -> assertThatThrownBy(() -> item.check(0)).as(item.toString())
                        .isInstanceOf(SluiceException.class).hasMessageContaining("acknowledgements[0]"));
    }

    @Test
    void anAcknowledgementNeedsItsMemberAndAtLeastOneItem() {
        assertThatThrownBy(() -> ShareRequests.checkedMemberId(null, false)).hasMessageContaining("member_id");
        assertThatThrownBy(() -> ShareRequests.checkedMemberId(" ", true)).hasMessageContaining("member_id");
        assertThat(ShareRequests.checkedMemberId(null, true)).as("a take makes one").hasSize(36);
        assertThatThrownBy(() -> new ShareRequests.Acknowledge("a", List.of()).checkedItems())
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> new ShareRequests.Acknowledge("a", null).checkedItems())
                .hasMessageContaining("at least one");
    }
}
