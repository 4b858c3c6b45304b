package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed error codes in the JSON contracts: written by name, read by name, and a newer writer's code is still read. */
class SluiceJsonTest {

    @Test
    void anErrorCodeIsWrittenAndReadByItsName() {
        ListOffsetsResponse answer = new ListOffsetsResponse(List.of(
                new ListOffsetsResponse.Partition("orders", 1, ErrorCode.NOT_LEADER, "node 2 leads", null, null),
                new ListOffsetsResponse.Partition("orders", 2, null, null, 42L, 7L)));

        String json = SluiceJson.mapper().writeValueAsString(answer);

        assertThat(json).contains("\"error_code\":\"NOT_LEADER\"");
        assertThat(SluiceJson.mapper().readValue(json, ListOffsetsResponse.class)).isEqualTo(answer);
    }

    @Test
    void aCodeThisBuildDoesNotKnowReadsAsUnknownServerError() {
        String json = "{\"partitions\":[{\"topic\":\"orders\",\"partition\":0,\"error_code\":\"SOME_NEWER_CODE\","
                + "\"leader_epoch\":-1,\"end_offset\":-1}]}";

        EpochEndOffsetsResponse read = SluiceJson.mapper().readValue(json, EpochEndOffsetsResponse.class);

        assertThat(read.partitions().getFirst().errorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void aProblemCarriesItsTypedCode() {
        Problem problem = SluiceJson.mapper().readValue("{\"status\":409,\"error_code\":\"FENCED_MEMBER_EPOCH\","
                + "\"detail\":\"rejoin\"}", Problem.class);

        assertThat(problem.toException().errorCode()).isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
        assertThat(problem.toException().getMessage()).isEqualTo("rejoin");
    }
}
