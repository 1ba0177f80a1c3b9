package io.github.jamesmtasts.james;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.state.ClusterState;
import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.apache.mailet.MailetContext;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Guice trap of James's {@code guice.extension.module}: the module is installed in a child injector of James's,
 * and a contribution to a set James itself multibinds (health checks, WebAdmin routes, init operations, probes; the
 * distributed server adds Cassandra table modules and event DTOs) fails James's start with "Set<...> was bound
 * multiple times". Here the parent binds such sets and what the module injects from James; the services themselves
 * are not made (Guice's development stage creates singletons when first asked for).
 */
class MtaStsModuleInChildInjectorTest {
    private static final List<Class<?>> JAMES_SETS = List.of(HealthCheck.class, Routes.class, InitializationOperation.class, GuiceProbe.class);

    @Test
    void theModuleBootsInAChildOfAnInjectorThatMultibindsJamesSetsAndBindsNoSetOfItsOwn() {
        Injector child = jamesLike().createChildInjector(new MtaStsModule());

        assertThat(child.getBinding(ClusterState.class)).isNotNull();
        assertThat(child.getBinding(Enforcement.class)).isNotNull();
        List<String> collections = child.getBindings().values().stream()
            .filter(binding -> Collection.class.isAssignableFrom(binding.getKey().getTypeLiteral().getRawType())
                || Map.class.isAssignableFrom(binding.getKey().getTypeLiteral().getRawType())
                || binding.getKey().getAnnotationType() != null && binding.getKey().getAnnotationType().getName().startsWith("com.google.inject.internal"))
            .map(binding -> binding.getKey().toString())
            .collect(Collectors.toList());
        assertThat(collections).as("sets, maps or multibinder elements bound by MtaStsModule").isEmpty();
    }

    @Test
    void aModuleThatAddsToOneOfJamesSetsFailsInTheSameSetUp() {
        Module contributing = new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().toInstance(new NoHealthCheck());
            }
        };

        assertThatThrownBy(() -> jamesLike().createChildInjector(contributing)).isInstanceOf(CreationException.class)
            .hasMessageContaining("HealthCheck");
    }

    /** What the module injects from James, and sets James multibinds. */
    private static Injector jamesLike() {
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                JAMES_SETS.forEach(type -> Multibinder.newSetBinder(binder(), type));
                Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().toInstance(new NoHealthCheck());
                notMadeHere(PropertiesProvider.class);
                notMadeHere(FileSystem.class);
                notMadeHere(DomainList.class);
                notMadeHere(MetricFactory.class);
                notMadeHere(MailetContext.class);
            }

            private <T> void notMadeHere(Class<T> type) {
                bind(type).toProvider(() -> {
                    throw new UnsupportedOperationException(type + " is James's");
                });
            }
        });
    }

    /** A health check of "James". */
    private static final class NoHealthCheck implements HealthCheck {
        @Override
        public ComponentName componentName() {
            return new ComponentName("james");
        }

        @Override
        public Publisher<Result> check() {
            return Mono.just(Result.healthy(componentName()));
        }
    }
}
