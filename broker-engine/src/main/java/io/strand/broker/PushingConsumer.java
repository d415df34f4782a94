package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.log.LogStorageException;
import io.strand.log.PartitionLog;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every broker consumer shares: credit, the round-robin push loop over a destination's
 * partitions, wake-ups when a partition grows, stopping on a storage failure, and counting what it
 * sent (each push costs the records it carries in credit, so the credit spent is what was sent). Subclasses say
 * how to push from one partition ({@link #pushFrom}) and what closing gives back ({@link #onClose}).
 *
 * <p>Threading: everything but {@link #recordsAvailable()} runs on the connection's event loop.
 */
abstract class PushingConsumer implements BrokerConsumer, PartitionWatchers.Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(PushingConsumer.class);
    /** Bytes read from one partition for one push; at least one batch is always sent. */
    static final int MAX_PUSH_BYTES = 256 * 1024;

    protected final int consumerId;
    protected final short version;
    protected final Channel channel;
    protected final Destination destination;
    protected final PartitionWatchers watchers;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final DeliveryRate sent = new DeliveryRate(System.currentTimeMillis());
    /** Records the consumer may still be sent; a push of a whole batch may overdraw it. */
    protected long credit;
    private int nextPartition;
    private boolean closed;
    /** Stopped by the client: no more pushes, while what it holds stays held. */
    private boolean stopped;

    PushingConsumer(int consumerId, short version, Channel channel, Destination destination,
                    PartitionWatchers watchers, int credit) {
        this.consumerId = consumerId;
        this.version = version;
        this.channel = channel;
        this.destination = destination;
        this.watchers = watchers;
        this.credit = credit;
    }

    @Override
    public int id() {
        return consumerId;
    }

    /** Starts watching the partitions and pushing; does nothing if the consumer closed first. */
    void start() {
        if (closed) {
            return;
        }
        destination.partitions().forEach(log -> watchers.watch(log.topicPartition(), this));
        deliver();
    }

    @Override
    public void recordsAvailable() {
        if (wakeScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(() -> {
                wakeScheduled.set(false);
                deliver();
            });
        }
    }

    @Override
    public void addCredit(int more) {
        if (stopped) {
            return;
        }
        credit += more;
        deliver();
    }

    @Override
    public void stop() {
        stopped = true;
        credit = 0;
    }

    @Override
    public void deliver() {
        assert channel.eventLoop().inEventLoop();
        int partitions = destination.partitions().size();
        int idlePartitions = 0;
        while (!closed && credit > 0 && channel.isWritable() && idlePartitions < partitions) {
            int p = nextPartition;
            nextPartition = (p + 1) % partitions;
            long creditBefore = credit;
            try {
                idlePartitions = pushFrom(p) ? 0 : idlePartitions + 1;
                if (credit != creditBefore) {
                    sent.add(creditBefore - credit, System.currentTimeMillis());
                }
            } catch (LogStorageException e) {
                // The partition went offline or was deleted: this consumer stops, the connection and others go on.
                LOG.warn("consumer {} on {} stops: {}", consumerId, channel.remoteAddress(), e.getMessage());
                close();
            }
        }
    }

    protected boolean isClosed() {
        return closed;
    }

    /** Records the broker may still push to this consumer. */
    long credit() {
        return credit;
    }

    /** What this consumer was sent, in all and lately. */
    DeliveryRate sent() {
        return sent;
    }

    /** Pushes what one partition has for this consumer; returns whether anything was sent. */
    protected abstract boolean pushFrom(int partition);

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PartitionLog log : destination.partitions()) {
            watchers.unwatch(log.topicPartition(), this);
        }
        onClose();
    }

    /** Gives back what the consumer held, once, when it closes. */
    protected abstract void onClose();
}
