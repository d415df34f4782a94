package io.strand.bench.cluster;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the benchmarks find what {@code mvn -pl benchmarks -am package} built: {@code benchmarks/target} (this
 * class was loaded from its {@code benchmarks.jar} or {@code classes}), the broker's {@code strand-broker.jar}
 * beside it in the worktree, and the Kafka classpath {@code benchmarks/target/kafka-lib}.
 */
public record BuildPaths(Path buildDir, Path brokerJar, Path benchClasses, Path kafkaLib) {

    public static BuildPaths locate() {
        Path code;
        try {
            code = Path.of(BuildPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the benchmark's classes are", e);
        }
        Path buildDir = code.toAbsolutePath().getParent();
        Path root = buildDir.getParent().getParent();
        Path classes = buildDir.resolve("classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(buildDir + " holds no benchmarks build; build it with: "
                    + "mvn -o -q -pl benchmarks -am package -DskipTests");
        }
        return new BuildPaths(buildDir, root.resolve("broker-engine/target/strand-broker.jar"), classes,
                buildDir.resolve("kafka-lib"));
    }
}
