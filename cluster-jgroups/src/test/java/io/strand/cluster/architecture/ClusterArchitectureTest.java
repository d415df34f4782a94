package io.strand.cluster.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps DESIGN.md §1 true for the cluster module: the metadata and the controller are plain Java that
 * JGroups drives from outside (so they run unchanged in a simulation), and nothing in the module knows
 * of logs or of the broker.
 */
class ClusterArchitectureTest {
    private static JavaClasses cluster;

    @BeforeAll
    static void importClusterClasses() {
        cluster = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.strand.cluster");
    }

    @Test
    void metadataAndControllerImportNoFrameworkType() {
        noClasses().that().resideInAnyPackage("io.strand.cluster.metadata..", "io.strand.cluster.controller..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jgroups..", "io.netty..", "jakarta..",
                        "org.slf4j..")
                .allowEmptyShould(false)
                .check(cluster);
    }

    @Test
    void metadataKnowsNothingOfTheController() {
        noClasses().that().resideInAPackage("io.strand.cluster.metadata..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strand.cluster.controller..")
                .allowEmptyShould(false)
                .check(cluster);
    }

    @Test
    void clusterKnowsNothingOfLogsOrTheBroker() {
        noClasses().that().resideInAPackage("io.strand.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strand.log..", "io.strand.broker..",
                        "io.strand.record..", "io.strand.protocol..", "io.strand.jms..")
                .allowEmptyShould(false)
                .check(cluster);
    }
}
