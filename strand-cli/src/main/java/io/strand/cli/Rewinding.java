package io.strand.cli;

import io.strand.admin.Rewind;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Builds a rewind request from the command line's position and partition, checking what the broker cannot. */
final class Rewinding {
    private Rewinding() {
    }

    static Rewind.Request request(CommandSpec spec, Rewind.Target target, String clientId, String name, int partition,
                                  Position to) {
        if (to.offset != null && to.offset < 0) {
            throw new ParameterException(spec.commandLine(), "--to-offset must not be negative: " + to.offset);
        }
        if (partition < -1) {
            throw new ParameterException(spec.commandLine(), "--partition must not be negative: " + partition);
        }
        return new Rewind.Request(target, clientId, name, partition, to.offsetOrNone(), to.timeOrNone());
    }

    static List<Map<String, Object>> shown(List<Rewind.Position> positions) {
        return positions.stream().map(p -> Rows.of("partition", p.partition(), "position", p.offset())).toList();
    }
}
