package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.Tensor;
import dev.linea.nn.IncompatibleKeys;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.ModuleDict;
import dev.linea.nn.ModuleList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A PyTorch model with weight tying (one module under two names), a ModuleList and a ModuleDict
 * ({@code golden/modules.txt}, written by {@code scripts/golden/modules.py}): Linea's state dict has
 * PyTorch's keys in PyTorch's order, PyTorch's state dict loads, and the output matches.
 */
class ModuleGoldenTest {
    /** The Linea twin of modules.py's Tied. */
    static final class Tied extends Module {
        final Linear enc = new Linear(4, 4);
        final ModuleList layers = new ModuleList(new Linear(4, 4), new Linear(4, 4));
        final Linear dec = enc;
        final ModuleDict heads = new ModuleDict();

        Tied() {
            heads.put("cls", new Linear(4, 3));
            heads.put("reg", new Linear(4, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            x = enc.forward(x).relu();
            for (Module layer : layers) {
                x = layer.forward(x).tanh();
            }
            x = dec.forward(x);
            return Tensor.cat(List.of(heads.get("cls").forward(x), heads.get("reg").forward(x)), 1);
        }
    }

    private static Map<String, Tensor> pytorchStateDict(Golden g, String model) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (String line : Golden.lines("modules.txt")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith(model + ".sd.")) {
                sd.put(name.substring(model.length() + 4), g.tensor(name));
            }
        }
        return sd;
    }

    @Test
    void tiedModelHasPyTorchsKeysAndLoadsItsStateDict() {
        Golden g = Golden.load("modules.txt");
        Map<String, Tensor> sd = pytorchStateDict(g, "tied");
        Tied model = new Tied();
        assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(model.stateDict().keySet()));
        assertEquals(10, model.parameters().size(), "the tied parameters are trained once");
        IncompatibleKeys keys = model.loadStateDict(sd, true);
        assertEquals("<All keys matched successfully>", keys.toString());
        OpsGoldenTest.FORWARD_TOL.assertClose("tied forward", g.tensor("tied.y"), model.forward(g.tensor("tied.x")));
    }
}
