package dev.exportdesk.ui;

import java.lang.reflect.Field;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Window;
import org.junit.jupiter.api.BeforeEach;
import org.testfx.api.FxRobot;
import org.testfx.api.FxRobotContext;
import org.testfx.service.locator.BoundsLocator;
import org.testfx.service.locator.impl.BoundsLocatorImpl;
import org.testfx.service.locator.impl.PointLocatorImpl;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every TestFX flow test implements this, so the robot measures nodes on the FX thread.
 *
 * <p>TestFX's {@code clickOn(node)} asks the node for its bounds on the test thread. JavaFX computes
 * bounds lazily and caches them in the parents, so that call writes the same bookkeeping the FX
 * thread's pulse is writing at the same moment; once the two interleave, a parent's count of dirty
 * children no longer matches its list and every later pulse of that JVM throws
 * {@code IndexOutOfBoundsException} from {@code Parent.updateCachedBounds} (seen in CI under load,
 * failing every console test after it).
 */
public interface FxThreadBounds {

    @BeforeEach
    default void measureOnFxThread(FxRobot robot) throws ReflectiveOperationException {
        FxRobotContext context = robot.robotContext();
        // TestFX has no setter for it; only its point locator reads the bounds locator
        Field points = FxRobotContext.class.getDeclaredField("pointLocator");
        points.setAccessible(true);
        points.set(context, new PointLocatorImpl(new OnFxThread(new BoundsLocatorImpl())));
    }

    /** TestFX's own bounds locator, each call made on the FX thread. */
    final class OnFxThread implements BoundsLocator {
        private final BoundsLocator bounds;

        OnFxThread(BoundsLocator bounds) {
            this.bounds = bounds;
        }

        private static <T> T fx(Callable<T> c) {
            try {
                if (Platform.isFxApplicationThread()) {
                    return c.call();
                }
                return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot measure on the FX thread", e);
            }
        }

        @Override
        public Bounds boundsInSceneFor(Node node) {
            return fx(() -> bounds.boundsInSceneFor(node));
        }

        @Override
        public Bounds boundsInWindowFor(Scene scene) {
            return fx(() -> bounds.boundsInWindowFor(scene));
        }

        @Override
        public Bounds boundsInWindowFor(Bounds inScene, Scene scene) {
            return fx(() -> bounds.boundsInWindowFor(inScene, scene));
        }

        @Override
        public Bounds boundsOnScreenFor(Node node) {
            return fx(() -> bounds.boundsOnScreenFor(node));
        }

        @Override
        public Bounds boundsOnScreenFor(Scene scene) {
            return fx(() -> bounds.boundsOnScreenFor(scene));
        }

        @Override
        public Bounds boundsOnScreenFor(Window window) {
            return fx(() -> bounds.boundsOnScreenFor(window));
        }

        @Override
        public Bounds boundsOnScreenFor(Bounds inScene, Scene scene) {
            return fx(() -> bounds.boundsOnScreenFor(inScene, scene));
        }
    }
}
