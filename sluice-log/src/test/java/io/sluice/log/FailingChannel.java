package io.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A segment file channel that behaves like a disk running full: writes succeed until a shared byte budget is used
 * up, the write that crosses it stores only what fits and then fails, and every later write fails.
 */
final class FailingChannel extends ForwardingFileChannel {

    private final AtomicLong budget;

    FailingChannel(FileChannel delegate, AtomicLong budget) {
        super(delegate);
        this.budget = budget;
    }

    /** A factory whose channels share {@code budget} (bytes that may still be written). */
    static LogChannelFactory factory(AtomicLong budget) {
        return file -> new FailingChannel(LogChannelFactory.DEFAULT.open(file), budget);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        long left = budget.get();
        if (src.remaining() <= left) {
            int written = delegate.write(src, position);
            budget.addAndGet(-written);
            return written;
        }
        if (left > 0) {
            ByteBuffer part = src.slice(src.position(), (int) left);
            delegate.write(part, position);
            budget.set(0);
        }
        throw new IOException("No space left on device");
    }
}
