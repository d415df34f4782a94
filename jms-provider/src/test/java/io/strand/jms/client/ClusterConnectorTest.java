package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.client.ScriptedHandshakes.Reply;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client searches a cluster for its active broker, against brokers that only answer handshakes as scripted:
 * NOT_LEADER hints followed at once, handshakes a broker holds while its cluster has no active broker waited for long
 * enough and not in the way of the other hosts.
 */
class ClusterConnectorTest {
    /** Hosts a:1, b:2, c:3 are told apart by port; a backoff this long would show in every timing below. */
    private static final String SLOW_BACKOFF = "reconnectBackoffMs=3000&reconnectBackoffMaxMs=3000";

    private final ScriptedHandshakes cluster = new ScriptedHandshakes();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private ClusterConnector connector(String url) {
        final ConnectionUrl parsed = ConnectionUrl.parse(url);
        final ClientOptions options = ClientOptions.from(parsed);
        return new ClusterConnector(parsed.hosts(), url, options, cluster.dialer(options),
                () -> new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null, "test"));
    }

    private static long deadlineIn(long ms) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private static long millisSince(long startNs) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    private static void waitUntil(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        final long deadlineNs = deadlineIn(timeoutMs);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + timeoutMs + " ms").isLessThan(deadlineNs);
            Thread.sleep(5);
        }
    }

    @Test
    void shouldFollowANotLeaderHintAtOnceWithoutBackoff() throws Exception {
        final ScriptedHandshakes.Broker follower = cluster.add(2, elapsed -> Reply.notLeader("c:3"));
        final ScriptedHandshakes.Broker active = cluster.add(3, elapsed -> Reply.accept());
        final ClusterConnector connector = connector("strand://a:1,b:2?" + SLOW_BACKOFF); // a is down, c not listed

        final long startNs = System.nanoTime();
        final ClusterConnector.Connected connected = connector.connect(deadlineIn(30_000), true, () -> false);
        assertThat(millisSince(startNs)).as("no backoff between the hint and the broker it names").isLessThan(2000);
        assertThat(connected.wire().description()).isEqualTo("strand://c:3");
        assertThat(follower.handshakes.get()).isEqualTo(1);
        assertThat(active.handshakes.get()).isEqualTo(1);
        connected.wire().close();
    }

    @Test
    void shouldTryTheNextHostsBesideAHandshakeThatIsHeld() throws Exception {
        final ScriptedHandshakes.Broker holding = cluster.add(1, elapsed -> Reply.notLeader(null).heldFor(5000));
        cluster.add(2, elapsed -> Reply.accept());
        final ClusterConnector connector = connector("strand://a:1,b:2?" + SLOW_BACKOFF);

        final long startNs = System.nanoTime();
        final ClusterConnector.Connected connected = connector.connect(deadlineIn(30_000), true, () -> false);
        assertThat(millisSince(startNs)).as("b tried %d ms after a did not answer", ClusterConnector.PARALLEL_AFTER_MS)
                .isLessThan(2000);
        assertThat(connected.wire().description()).isEqualTo("strand://b:2");
        // The held try is closed once another broker accepted, which also frees the broker holding it.
        waitUntil(5000, () -> holding.closed.get() == 1);
        connected.wire().close();
    }

    @Test
    void shouldTakeTheFirstBrokerToAcceptAndCloseTheOther() throws Exception {
        final ScriptedHandshakes.Broker slow = cluster.add(1, elapsed -> Reply.accept().heldFor(1000));
        final ScriptedHandshakes.Broker fast = cluster.add(2, elapsed -> Reply.accept());
        final ClusterConnector.Connected connected = connector("strand://a:1,b:2?" + SLOW_BACKOFF)
                .connect(deadlineIn(30_000), false, () -> false);
        assertThat(connected.wire().description()).isEqualTo("strand://b:2");
        waitUntil(5000, () -> slow.closed.get() == 1);
        assertThat(fast.closed.get()).isZero();
        assertThat(connected.wire().isFailed()).isFalse();
        connected.wire().close();
    }

    @Test
    void shouldGoToTheNewActiveBrokerAsSoonAsAHeldHandshakeNamesIt() throws Exception {
        // a holds its answer until the cluster has chosen c; c does not serve clients before 1500 ms; b is down.
        cluster.add(1, elapsed -> Reply.notLeader("c:3").heldFor(Math.max(0, 1500 - elapsed)));
        final ScriptedHandshakes.Broker chosen = cluster.add(3,
                elapsed -> elapsed < 1500 ? Reply.notLeader(null) : Reply.accept());
        final ClusterConnector connector = connector("strand://a:1,b:2,c:3?" + SLOW_BACKOFF);

        final long startNs = System.nanoTime();
        final ClusterConnector.Connected connected = connector.connect(deadlineIn(30_000), true, () -> false);
        final long tookMs = millisSince(startNs);
        assertThat(connected.wire().description()).isEqualTo("strand://c:3");
        assertThat(tookMs).as("found when a named c, not after a 3000 ms backoff").isBetween(1300L, 2900L);
        assertThat(chosen.handshakes.get()).as("once beside the held try, once when named").isEqualTo(2);
        connected.wire().close();
    }

    @Test
    void shouldWaitForAHeldHandshakeLongerThanAShortRequestTimeout() throws Exception {
        cluster.add(1, elapsed -> Reply.accept().heldFor(1500));
        final ClusterConnector connector = connector("strand://a:1?requestTimeoutMs=500&failoverTimeoutMs=10000&"
                + SLOW_BACKOFF);
        assertThat(connector.handshakeWaitMs()).isEqualTo(ClusterConnector.HANDSHAKE_MIN_WAIT_MS);
        assertThat(connector("strand://a:1?requestTimeoutMs=40000").handshakeWaitMs()).isEqualTo(40_000);

        final long startNs = System.nanoTime();
        final ClusterConnector.Connected connected = connector.connect(deadlineIn(10_000), true, () -> false);
        assertThat(millisSince(startNs)).as("the first handshake was waited for").isLessThan(3000);
        connected.wire().close();
    }

    @Test
    void shouldNotLoseAHeldHandshakeToUnansweredHeartbeats() throws Exception {
        // heartbeatMs=1000: three unanswered heartbeats would end the connection after about 4 s.
        cluster.add(1, elapsed -> Reply.accept().heldFor(4500));
        final ClusterConnector.Connected connected = connector("strand://a:1?heartbeatMs=1000&failoverTimeoutMs=8000&"
                + SLOW_BACKOFF).connect(deadlineIn(8000), true, () -> false);
        assertThat(connected.wire().isFailed()).isFalse();
        connected.wire().close();
    }

    @Test
    void shouldGiveUpAtTheDeadlineNamingTheHostsThatDidNotAnswer() throws Exception {
        final ScriptedHandshakes.Broker silent = cluster.add(1, elapsed -> Reply.never());
        final ClusterConnector connector = connector("strand://a:1,b:2?failoverTimeoutMs=800&" + SLOW_BACKOFF);
        final long startNs = System.nanoTime();
        assertThatThrownBy(() -> connector.connect(deadlineIn(800), true, () -> false))
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("within 800 ms").hasMessageContaining("a:1: no answer")
                .hasMessageContaining("b:2: Connection refused");
        assertThat(millisSince(startNs)).isBetween(700L, 3000L);
        waitUntil(5000, () -> silent.closed.get() == 1);
    }

    @Test
    void shouldEndTheSearchAtARefusalThatTryingAgainCannotChange() throws Exception {
        cluster.add(1, elapsed -> new Reply(0, new Handshake.Response(ResponseStatus.of(
                ErrorCode.AUTHENTICATION_FAILED, "wrong password"), (short) -1, -1, null)));
        cluster.add(2, elapsed -> Reply.accept());
        assertThatThrownBy(() -> connector("strand://a:1,b:2").connect(deadlineIn(30_000), false, () -> false))
                .isInstanceOf(BrokerException.class).hasMessageContaining("wrong password");
    }

    @Test
    void shouldTryEveryHostOnceWithFailoverOff() throws Exception {
        final ScriptedHandshakes.Broker follower = cluster.add(1, elapsed -> Reply.notLeader(null).heldFor(300));
        assertThatThrownBy(() -> connector("strand://a:1,b:2?failoverTimeoutMs=0").connect(0, false, () -> false))
                .isInstanceOf(ConnectionLostException.class).hasMessageContaining("cannot connect to any broker")
                .hasMessageContaining("a:1: does not serve clients").hasMessageContaining("b:2: Connection refused");
        assertThat(follower.handshakes.get()).isEqualTo(1);
    }

    @Test
    void shouldStopSearchingWhenAbandoned() throws Exception {
        final ScriptedHandshakes.Broker silent = cluster.add(1, elapsed -> Reply.never());
        final long startNs = System.nanoTime();
        assertThat(connector("strand://a:1").connect(deadlineIn(30_000), true, () -> millisSince(startNs) > 300))
                .isNull();
        assertThat(millisSince(startNs)).isLessThan(3000);
        waitUntil(5000, () -> silent.closed.get() == 1);
    }
}
