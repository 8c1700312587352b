package dev.linea.internal;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a traced forward pass reports: every op, in grad mode or not, with the attributes that define it. */
class TraceTest {
    private record Report(String name, Tensor output, Tensor[] inputs, Map<String, Object> attributes) {}

    private static List<Report> trace(Runnable body) {
        List<Report> reports = new ArrayList<>();
        Trace.record((name, out, in, attrs) -> reports.add(new Report(name, out, in, attrs)), () -> {
            body.run();
            return null;
        });
        return reports;
    }

    @Test
    void opsAreReportedWithoutGradModeToo() {
        Tensor x = Tensor.randn(2, 3);
        List<Report> reports;
        try (var g = GradMode.noGrad()) {
            reports = trace(() -> x.relu().exp());
        }
        assertEquals(List.of("ReluBackward0", "ExpBackward0"), reports.stream().map(Report::name).toList());
        assertSame(x, reports.get(0).inputs()[0]);
        assertSame(reports.get(0).output(), reports.get(1).inputs()[0]);
    }

    @Test
    void opsWithAttributesReportAgainWithThem() {
        Tensor x = Tensor.randn(2, 3).requiresGrad(true);
        List<Report> reports = trace(() -> x.leakyRelu(0.25f).mul(3f).softmax(-1));
        List<Report> withAttrs = reports.stream().filter(r -> !r.attributes().isEmpty()).toList();
        assertEquals(List.of("LeakyReluBackward0", "MulBackward0", "SoftmaxBackward0"),
                withAttrs.stream().map(Report::name).toList());
        assertEquals(0.25f, withAttrs.get(0).attributes().get("negative_slope"));
        assertEquals(3f, withAttrs.get(1).attributes().get("other"));
        assertEquals(1, withAttrs.get(2).attributes().get("dim"));   // -1 normalised
        // each report with attributes follows the plain one of the same output
        for (Report r : withAttrs) {
            Report plain = reports.get(reports.indexOf(r) - 1);
            assertSame(r.output(), plain.output());
            assertTrue(plain.attributes().isEmpty());
        }
    }

    @Test
    void convolutionReportsItsGeometry() {
        Tensor x = Tensor.randn(1, 2, 5, 5), w = Tensor.randn(4, 2, 3, 3);
        List<Report> reports = trace(() -> F.conv2d(x, w, null, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 1));
        Report conv = reports.getLast();
        assertEquals("ConvolutionBackward0", conv.name());
        assertArrayEquals(new int[] {2, 1}, (int[]) conv.attributes().get("stride"));
        assertArrayEquals(new int[] {1, 0}, (int[]) conv.attributes().get("padding"));
        assertEquals(false, conv.attributes().get("transposed"));
        assertEquals(3, conv.inputs().length);
    }

    @Test
    void nothingIsReportedOutsideATraceAndTracesDoNotNest() {
        assertFalse(Trace.active());
        Tensor.randn(3).relu();   // no sink: nothing to observe, nothing thrown
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trace(() -> trace(() -> {})));
        assertTrue(e.getMessage().contains("already"), e.getMessage());
        assertFalse(Trace.active());
    }
}
