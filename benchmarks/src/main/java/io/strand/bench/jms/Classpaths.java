package io.strand.bench.jms;

import io.strand.bench.jms.artemis.ArtemisBrokerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The two classpaths of the benchmark, which must never mix: Strand's (this module's runtime
 * classpath, with Netty 4.2) and Artemis' ({@code target/classes} for the benchmark's own JMS code plus
 * {@code target/artemis-lib}, Artemis with the Netty 4.1 it was released with). Both are produced by
 * {@code mvn -pl benchmarks -am package}.
 *
 * @param strand          classpath of the Strand broker and its load generator
 * @param artemis         classpath of the Artemis broker and its load generator
 * @param artemisNative   directory with libartemis-native-64.so, for Artemis' ASYNCIO journal
 * @param artemisVersion  the Artemis version found in artemis-lib
 */
record Classpaths(String strand, String artemis, Path artemisNative, String artemisVersion) {

    /** Where this class was loaded from: benchmarks/target/benchmarks.jar or benchmarks/target/classes. */
    static Path defaultBuildDir() {
        try {
            Path code = Path.of(Classpaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the benchmark's classes are", e);
        }
    }

    static Classpaths locate(Path buildDir) {
        Path classes = buildDir.resolve("classes");
        Path lib = buildDir.resolve("artemis-lib");
        if (!Files.isRegularFile(classes.resolve(ArtemisBrokerMain.class.getName().replace('.', '/') + ".class"))
                || !Files.isDirectory(lib)) {
            throw new IllegalStateException(buildDir + " holds no packaged benchmarks build (classes/ and "
                    + "artemis-lib/); build it with: mvn -q -pl benchmarks -am package");
        }
        String strand = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        String artemis = classes + File.pathSeparator + lib + File.separator + "*";
        return new Classpaths(strand, artemis, buildDir.resolve("artemis-native/lib/linux-x86_64"), versionIn(lib));
    }

    private static String versionIn(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.matches("artemis-server-.+\\.jar"))
                    .map(name -> name.substring("artemis-server-".length(), name.length() - ".jar".length()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(lib + " holds no artemis-server jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
