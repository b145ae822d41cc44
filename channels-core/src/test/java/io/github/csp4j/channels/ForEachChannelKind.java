package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs the annotated test once for every {@link ChannelKind}, passed as its first parameter. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@EnumSource(ChannelKind.class)
@interface ForEachChannelKind {}
