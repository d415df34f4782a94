package io.strand.bench.jms;

import io.strand.bench.jms.client.WorkloadResult;

/**
 * One line of the results file: a workload's result on one broker in one round.
 *
 * @param round  1-based round
 * @param broker the broker it ran on
 * @param result what the load generator reported
 */
record RunRow(int round, BrokerSide broker, WorkloadResult result) {
    static final String HEADER = "stamp,round,broker," + WorkloadResult.HEADER;

    String toCsv(String stamp) {
        return stamp + "," + round + "," + broker.label() + "," + result.toCsv();
    }
}
