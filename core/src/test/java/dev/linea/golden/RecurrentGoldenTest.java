package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.Tensor;
import dev.linea.nn.GRU;
import dev.linea.nn.LSTM;
import dev.linea.nn.Parameter;
import dev.linea.nn.RNNBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * LSTM and GRU against PyTorch ({@code golden/recurrent.txt}, written by {@code scripts/golden/recurrent.py}):
 * PyTorch's state dict loads into Linea's layer under the same names in the same order, and the outputs,
 * final states and the gradients of input and parameters match.
 */
class RecurrentGoldenTest {
    private static final Tolerance FORWARD = Tolerance.allclose(1e-5, 1e-5);
    private static final Tolerance GRAD = Tolerance.allclose(1e-4, 1e-4);

    private static final Map<String, Supplier<RNNBase>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("lstm1", () -> new LSTM(3, 4));
        CASES.put("lstm_deep_bi_bf", () -> new LSTM(3, 4, 2, true, true, 0f, true));
        CASES.put("lstm_state", () -> new LSTM(3, 2, 2, true, false, 0f, false));
        CASES.put("lstm_unbatched_nobias", () -> new LSTM(3, 4, 1, false, false, 0f, true));
        CASES.put("gru1", () -> new GRU(3, 4));
        CASES.put("gru_deep_bi_bf", () -> new GRU(3, 4, 2, true, true, 0f, true));
        CASES.put("gru_state", () -> new GRU(2, 3, 3, true, false, 0f, false));
    }

    @TestFactory
    Stream<DynamicTest> recurrentLayersMatchPyTorch() {
        Golden g = Golden.load("recurrent.txt");
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> run(g, e.getKey(), e.getValue().get())));
    }

    private static void run(Golden g, String name, RNNBase m) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (String line : Golden.lines("recurrent.txt")) {
            String key = line.split("\\s+")[0];
            if (key.startsWith(name + ".sd.")) {
                sd.put(key.substring(name.length() + 4), g.tensor(key));
            }
        }
        assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(m.stateDict().keySet()), name + ": parameter names");
        m.loadStateDict(sd);
        boolean lstm = m instanceof LSTM;
        Tensor x = g.tensor(name + ".x").requiresGrad(true);
        List<Tensor> in = new ArrayList<>(List.of(x));
        if (g.has(name + ".h0")) {
            in.add(g.tensor(name + ".h0"));
            if (lstm) {
                in.add(g.tensor(name + ".c0"));
            }
        }
        List<Tensor> out = m.forward(in);
        FORWARD.assertClose(name + " output", g.tensor(name + ".out"), out.get(0));
        FORWARD.assertClose(name + " h_n", g.tensor(name + ".hn"), out.get(1));
        Tensor loss = out.get(0).mul(g.tensor(name + ".gout")).sum().add(out.get(1).mul(g.tensor(name + ".ghn")).sum());
        if (lstm) {
            FORWARD.assertClose(name + " c_n", g.tensor(name + ".cn"), out.get(2));
            loss = loss.add(out.get(2).mul(g.tensor(name + ".gcn")).sum());
        }
        loss.backward();
        GRAD.assertClose(name + " input gradient", g.tensor(name + ".gx"), x.grad());
        for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
            GRAD.assertClose(name + " gradient of " + p.getKey(), g.tensor(name + ".grad." + p.getKey()), p.getValue().grad());
        }
    }
}
