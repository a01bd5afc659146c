package dev.exportdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchivableClassesTest {
    private static final String WRAPPER = "org/postgresql/util/LazyCleanerImpl$CleanableWrapper";

    @Test
    void classesServedFromAVersionedEntryOfAMultiReleaseJarAndRepeatedLinesAreLeftOut() throws Exception {
        // the driver's jar holds the wrapper under META-INF/versions/11/ only (the class that crashed a recording)
        assertThat(ClassLoader.getSystemClassLoader().getResource(WRAPPER + ".class")).as("on the class path").isNotNull();
        List<String> in = List.of(
                "# NOTE: Do not modify this file.",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_J",
                "java/lang/String",
                "org/postgresql/Driver",
                WRAPPER,
                "org/postgresql/Driver",
                "@lambda-proxy org/postgresql/util/LazyCleanerImpl$CleanableWrapper run ()V ()V REF_invokeVirtual x y ()V ()V",
                "@lambda-proxy org/postgresql/Driver run ()V ()V REF_invokeVirtual x y ()V ()V",
                "no/such/Clazz");

        List<String> out = ArchivableClasses.filter(in, ClassLoader.getSystemClassLoader());

        assertThat(out).containsExactly(
                "# NOTE: Do not modify this file.",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_J",
                "java/lang/String",
                "org/postgresql/Driver",
                "@lambda-proxy org/postgresql/Driver run ()V ()V REF_invokeVirtual x y ()V ()V",
                "no/such/Clazz");
    }
}
