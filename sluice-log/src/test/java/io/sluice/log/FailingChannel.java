package io.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A segment file channel that behaves like a disk running full: writes succeed until a shared byte budget is used
 * up, the write that crosses it stores only what fits and then fails, and every later write fails.
 */
final class FailingChannel extends FileChannel {

    private final FileChannel delegate;
    private final AtomicLong budget;

    FailingChannel(FileChannel delegate, AtomicLong budget) {
        this.delegate = delegate;
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

    @Override
    public int write(ByteBuffer src) throws IOException {
        throw new UnsupportedOperationException("the log writes at explicit positions");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("the log writes at explicit positions");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        delegate.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
