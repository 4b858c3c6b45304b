package io.sluice.coordinator.remote;

import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogPaths;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.protocol.TopicPartition;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The remote logs of tiered storage over HTTP: partition leaders record their segments' copies and deletions and their
 * DeleteRecords, and read what is remote. The checks are {@link RemoteLogService}'s.
 */
@RestController
class RemoteLogController {

    private final RemoteLogService remoteLogs;

    RemoteLogController(RemoteLogService remoteLogs) {
        this.remoteLogs = remoteLogs;
    }

    @GetMapping(RemoteLogPaths.REMOTE_SEGMENTS)
    Mono<RemoteLog> remoteLog(@PathVariable String name, @PathVariable int partition) {
        return remoteLogs.remoteLog(new TopicPartition(name, partition));
    }

    @PostMapping(RemoteLogPaths.REMOTE_SEGMENTS)
    Mono<RemoteLog> updateRemoteSegment(@PathVariable String name, @PathVariable int partition,
                                        @RequestBody RemoteSegment update) {
        return remoteLogs.update(new TopicPartition(name, partition), update);
    }

    @PostMapping(RemoteLogPaths.REMOTE_LOG_START)
    Mono<RemoteLog> advanceLogStart(@PathVariable String name, @PathVariable int partition,
                                    @RequestBody RemoteLogStart update) {
        return remoteLogs.advanceLogStart(new TopicPartition(name, partition), update);
    }
}
