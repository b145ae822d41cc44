package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor compiled from {@code module-info.java}: the module exports its API package
 * and nothing else.
 */
class ModuleExportsTest {
    private static ModuleDescriptor descriptor;

    @BeforeAll
    static void readDescriptor() throws IOException, URISyntaxException {
        descriptor = readCompiledDescriptor();
    }

    /* ---- module ---- */

    @Test
    void descriptor_name_isIoGithubCsp4jChannels() {
        assertEquals("io.github.csp4j.channels", descriptor.name());
    }

    @Test
    void descriptor_exports_theApiPackagesToEverybodyAndTheSpiToSelectAlone() {
        Map<String, Set<String>> exported = descriptor.exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(
                Map.of("io.github.csp4j.channels", Set.of(),
                        "io.github.csp4j.tasks", Set.of(),
                        "io.github.csp4j.channels.spi", Set.of("io.github.csp4j.select")),
                exported,
                "source package -> target modules (empty: unqualified)");
    }

    @Test
    void descriptor_internalPackage_containedButNotExportedNorOpened() {
        String internal = "io.github.csp4j.channels.internal";
        assertTrue(descriptor.packages().contains(internal), descriptor.packages().toString());
        assertTrue(descriptor.exports().stream().noneMatch(e -> e.source().equals(internal)));
        assertFalse(descriptor.isOpen(), "an open module would open the internal package to reflection");
        assertTrue(descriptor.opens().isEmpty(), descriptor.opens().toString());
    }

    /**
     * Reads {@code module-info.class} from where {@link Channel} was loaded (the compiled classes
     * directory or the jar), not through a class loader, which could find another module's
     * descriptor first on a class path. javac writes no ModulePackages attribute, so the packages
     * are those holding class files under the same root.
     */
    private static ModuleDescriptor readCompiledDescriptor() throws IOException, URISyntaxException {
        Path location = Path.of(Channel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return read(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return read(jar.getPath("/"));
        }
    }

    private static ModuleDescriptor read(Path root) throws IOException {
        Set<String> packages;
        try (Stream<Path> files = Files.walk(root)) {
            packages = files
                    .filter(file -> file.toString().endsWith(".class"))
                    .map(file -> root.relativize(file.getParent()))
                    .filter(dir -> !dir.toString().isEmpty())
                    .map(dir -> dir.toString().replace(dir.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toSet());
        }
        Path moduleInfo = root.resolve("module-info.class");
        assertTrue(Files.exists(moduleInfo), moduleInfo + " is missing");
        try (InputStream in = Files.newInputStream(moduleInfo)) {
            return ModuleDescriptor.read(in, () -> packages);
        }
    }
}
