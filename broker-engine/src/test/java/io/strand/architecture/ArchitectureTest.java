package io.strand.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module and package rules of DESIGN.md §1 true on every build: the client never
 * depends on the broker, and the storage and record cores import no framework type.
 */
class ArchitectureTest {
    private static JavaClasses strand;

    @BeforeAll
    static void importStrandClasses() {
        strand = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.strand");
    }

    @Test
    void providerPackagesNeverDependOnTheBroker() {
        noClasses().that().resideInAnyPackage("io.strand.record..", "io.strand.protocol..", "io.strand.jms..",
                        "io.strand.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strand.log..", "io.strand.broker..",
                        "io.strand.cluster..")
                .allowEmptyShould(false)
                .check(strand);
    }

    @Test
    void logAndRecordCoresImportNoFrameworkType() {
        noClasses().that().resideInAnyPackage("io.strand.log..", "io.strand.record..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.jgroups..", "jakarta..")
                .allowEmptyShould(false)
                .check(strand);
    }

    @Test
    void logKnowsNothingOfTheLayersAboveIt() {
        noClasses().that().resideInAPackage("io.strand.log..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strand.broker..", "io.strand.protocol..",
                        "io.strand.jms..", "io.strand.cluster..")
                .allowEmptyShould(false)
                .check(strand);
    }

    /** Replication runs unchanged in the deterministic simulation: no network, framework or broker type inside. */
    @Test
    void replicationIsPlainJavaOverTheLog() {
        noClasses().that().resideInAPackage("io.strand.replication..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.jgroups..", "jakarta..",
                        "io.strand.broker..", "io.strand.protocol..", "io.strand.jms..")
                .allowEmptyShould(false)
                .check(strand);
    }
}
