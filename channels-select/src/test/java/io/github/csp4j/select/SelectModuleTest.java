package io.github.csp4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The select module as it runs in these tests, on the module path: it exports its API package
 * alone, requires the channels transitively, and reaches the channels' SPI through the export
 * that {@code io.github.csp4j.channels} makes to it alone.
 */
class SelectModuleTest {

    @Test
    void module_isNamedAndExportsExactlyTheApiPackage() {
        Module module = Select.class.getModule();
        assertTrue(module.isNamed(), "the tests run select as a named module");
        ModuleDescriptor descriptor = module.getDescriptor();

        assertEquals("io.github.csp4j.select", descriptor.name());
        Map<String, Set<String>> exports = descriptor.exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(Map.of("io.github.csp4j.select", Set.of()), exports);
        assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("io.github.csp4j.channels")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)), descriptor.requires().toString());
    }

    @Test
    void channelsModule_exportsItsSpiToSelectAndNobodyElse() {
        Module channels = io.github.csp4j.channels.Channel.class.getModule();
        Module select = Select.class.getModule();

        assertTrue(channels.isExported("io.github.csp4j.channels.spi", select));
        assertTrue(!channels.isExported("io.github.csp4j.channels.spi"), "not exported to everybody");
        assertTrue(!channels.isExported("io.github.csp4j.channels.internal", select));
    }
}
