package io.sluice.gateway.consume;

import io.sluice.protocol.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One partition's live tail on this gateway: a single long-poll fetch loop against the partition's leader whose
 * chunks every caught-up SSE subscriber of the partition shares, so the leader sees one reader however many
 * subscribers there are. {@link PartitionTails} keeps one per partition and moves subscribers on and off it.
 *
 * <p>Invariants. {@code position} is the next offset the loop fetches; the chunks published so far are contiguous,
 * in offset order, and end there. The last few chunks are kept ({@code history}) for late joiners. A member joins at
 * its own position P when P is at or after the start of the oldest kept chunk: it is handed the kept chunks that end
 * after P, then every chunk published after it joined, and skips the records below P itself. So a member sees every
 * offset from P on exactly once. (P may also be ahead of the tail, which then reads up to it.)
 *
 * <p>A member that lets {@code capacity} chunks pile up (a slow client) leaves the tail rather than slowing it: it
 * keeps the chunks it was handed, contiguous from its position, and reads on its own from where they end. When the
 * loop fails for any reason but a leader change (which it follows, as every read does), every member leaves the
 * same way and the tail stops; their own reads then meet the error at their own positions. The tail also stops when
 * its last member leaves. A stopped tail never restarts; the next subscriber starts a new one.
 *
 * <p>Thread safety: members join and leave on their subscribers' threads and the loop publishes on the fetch's; the
 * state is guarded by the tail's monitor, and chunks are handed to members outside it (a member's subscriber may
 * render and write the records on that thread, never under the tail's lock).
 */
final class SharedTail {

    private static final Logger log = LoggerFactory.getLogger(SharedTail.class);

    private final TopicPartition partition;
    private final int capacity;
    private final int historySize;
    private final LongFunction<Mono<FetchedChunk>> longPoll;
    private final Runnable onFellBehind;
    private final Consumer<SharedTail> onStop;
    private final Disposable.Swap loop = Disposables.swap();

    private final ArrayDeque<FetchedChunk> history = new ArrayDeque<>();
    private final List<Member> members = new ArrayList<>();
    private long position;
    private boolean started;
    private boolean stopped;

    /**
     * @param position     where the loop starts fetching
     * @param capacity     the chunks a member may have waiting before it leaves the tail
     * @param longPoll     a long-poll fetch from an offset, following leader changes
     * @param onFellBehind called for each member that leaves for being too slow
     * @param onStop       called once when the tail stops
     */
    SharedTail(TopicPartition partition, long position, int capacity, LongFunction<Mono<FetchedChunk>> longPoll,
               Runnable onFellBehind, Consumer<SharedTail> onStop) {
        this.partition = partition;
        this.position = position;
        this.capacity = capacity;
        // Half the members' room, so that a joiner handed the whole history still has room to take in new chunks.
        this.historySize = Math.max(1, capacity / 2);
        this.longPoll = longPoll;
        this.onFellBehind = onFellBehind;
        this.onStop = onStop;
    }

    /** A new member at {@code offset}; null when the tail has stopped or no longer keeps what comes after it. */
    Member join(long offset) {
        boolean start;
        Member member;
        synchronized (this) {
            long keptFrom = history.isEmpty() ? position : history.peekFirst().from();
            if (stopped || offset < keptFrom) {
                return null;
            }
            member = new Member(capacity);
            history.stream().filter(chunk -> chunk.to() > offset).forEach(member.queue::addLast);
            members.add(member);
            start = !started;
            started = true;
        }
        if (start) {
            loop.update(Mono.defer(() -> longPoll.apply(position()))
                    .doOnNext(this::publish)
                    .repeat()
                    .subscribe(chunk -> { }, this::failed));
        }
        return member;
    }

    /** {@code member}'s subscriber went away. */
    void leave(Member member) {
        boolean last;
        synchronized (this) {
            last = members.remove(member) && members.isEmpty();
        }
        if (last) {
            stop();
        }
    }

    synchronized boolean stopped() {
        return stopped;
    }

    synchronized int memberCount() {
        return members.size();
    }

    private synchronized long position() {
        return position;
    }

    private void publish(FetchedChunk chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        List<Member> targets;
        synchronized (this) {
            if (stopped) {
                return;
            }
            position = chunk.to();
            history.addLast(chunk);
            if (history.size() > historySize) {
                history.removeFirst();
            }
            targets = List.copyOf(members);
        }
        for (Member member : targets) {
            if (!member.offer(chunk)) {
                onFellBehind.run();
                leave(member);
            }
        }
    }

    private void failed(Throwable failure) {
        log.info("The shared tail of {} stopped ({}); its subscribers read on their own", partition, failure.toString());
        stop();
    }

    private void stop() {
        List<Member> left;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            left = List.copyOf(members);
            members.clear();
            history.clear();
        }
        loop.dispose();
        left.forEach(Member::detach);
        onStop.accept(this);
    }

    /**
     * One subscriber's place on the tail: the chunks handed to it and not yet taken (at most {@code capacity}), and
     * the subscriber's pending {@link #take} if it is waiting for the next one. Once detached (too slow, or the tail
     * stopped) it hands out what it still holds and then nothing.
     */
    static final class Member {

        private final int capacity;
        private final ArrayDeque<FetchedChunk> queue = new ArrayDeque<>();
        private MonoSink<FetchedChunk> waiter;
        private boolean detached;

        private Member(int capacity) {
            this.capacity = capacity;
        }

        /**
         * The next chunk, as soon as there is one; empty once the member is detached and has handed out everything
         * (its subscriber then reads on its own, from where the last chunk ended).
         */
        Mono<FetchedChunk> take() {
            return Mono.create(sink -> {
                FetchedChunk next;
                synchronized (this) {
                    next = queue.pollFirst();
                    if (next == null && !detached) {
                        waiter = sink;
                        sink.onDispose(() -> forget(sink));
                        return;
                    }
                }
                if (next != null) {
                    sink.success(next);
                } else {
                    sink.success();
                }
            });
        }

        /**
         * Hands {@code chunk} over; false when {@code capacity} chunks were already waiting (the member is detached).
         * A detached member takes nothing more: what it holds stays contiguous from its subscriber's position.
         */
        private boolean offer(FetchedChunk chunk) {
            MonoSink<FetchedChunk> ready;
            synchronized (this) {
                if (detached) {
                    return true;
                }
                if (waiter == null) {
                    if (queue.size() >= capacity) {
                        detached = true;
                        return false;
                    }
                    queue.addLast(chunk);
                    return true;
                }
                ready = waiter;
                waiter = null;
            }
            ready.success(chunk);
            return true;
        }

        private void detach() {
            MonoSink<FetchedChunk> ready;
            synchronized (this) {
                detached = true;
                ready = waiter;
                waiter = null;
            }
            if (ready != null) {
                ready.success();
            }
        }

        private synchronized void forget(MonoSink<FetchedChunk> sink) {
            if (waiter == sink) {
                waiter = null;
            }
        }
    }
}
