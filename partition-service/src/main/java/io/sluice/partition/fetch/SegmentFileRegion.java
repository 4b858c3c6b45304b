package io.sluice.partition.fetch;

import io.netty.channel.DefaultFileRegion;
import io.sluice.log.FileRegion;

/**
 * A Netty file region over a segment file channel that the log owns, so that the transport sends it with
 * {@code sendfile} (epoll's native call for a {@link DefaultFileRegion} and nothing else; NIO's
 * {@code FileChannel.transferTo}).
 *
 * <p>Netty releases a written (or failed) region, and {@link DefaultFileRegion} closes its channel when released.
 * This one leaves the channel open: the log closes it, and keeps it open for reads in flight even after the segment
 * is deleted. Closing it here would fail every later read of the segment.
 */
final class SegmentFileRegion extends DefaultFileRegion {

    SegmentFileRegion(FileRegion region) {
        super(region.channel(), region.position(), region.length());
    }

    @Override
    protected void deallocate() {
        // The channel is the log's; nothing else is held.
    }
}
