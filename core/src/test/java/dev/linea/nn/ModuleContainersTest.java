package dev.linea.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ModuleList, ModuleDict, container fields, state dicts with tied modules and non-strict loading, tuple forwards. */
class ModuleContainersTest {

    @Test
    void moduleListRegistersAndRenumbersLikePyTorch() {
        Linear a = new Linear(2, 2), b = new Linear(2, 3), c = new Linear(3, 1);
        ModuleList list = new ModuleList(a);
        list.append(c);
        list.insert(1, b);
        assertEquals(3, list.size());
        assertSame(b, list.get(1));
        assertSame(c, list.get(-1));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"),
                new ArrayList<>(list.stateDict().keySet()));
        assertSame(b, list.remove(1));
        assertSame(c, list.get(1));
        assertEquals(List.of("0", "1"), new ArrayList<>(list.namedChildren().keySet()));
        list.extend(List.of(new ReLU()));
        List<Module> seen = new ArrayList<>();
        list.forEach(seen::add);
        assertEquals(3, seen.size());
        assertEquals(2, list.slice(1, 3).size());
        assertEquals("ModuleList(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n"
                + "  (1): Linear(in_features=3, out_features=1, bias=True)\n  (2): ReLU()\n)", list.toString());
        var e = assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensor.zeros(2)));
        assertTrue(e.getMessage().startsWith("Module [ModuleList] is missing the required \"forward\" function"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
    }

    @Test
    void moduleDictKeepsInsertionOrder() {
        ModuleDict d = new ModuleDict();
        d.put("b", new Linear(1, 1));
        d.put("a", new Linear(1, 2));
        assertEquals(List.of("b", "a"), new ArrayList<>(d.keys()));
        assertEquals(List.of("b.weight", "b.bias", "a.weight", "a.bias"), new ArrayList<>(d.stateDict().keySet()));
        assertEquals("a", d.items().get(1).getKey());
        List<String> keys = new ArrayList<>();
        d.forEach(keys::add);
        assertEquals(List.of("b", "a"), keys);
        d.pop("b");
        assertEquals(List.of("a.weight", "a.bias"), new ArrayList<>(d.stateDict().keySet()));
        var e = assertThrows(IllegalArgumentException.class, () -> d.put("x.y", new ReLU()));
        assertEquals("module name can't contain \".\", got: x.y", e.getMessage());
        assertThrows(java.util.NoSuchElementException.class, () -> d.get("zzz"));
    }

    static final class WithPlainList extends Module {
        final List<Linear> layers = List.of(new Linear(2, 2), new Linear(2, 2));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    static final class WithPlainMap extends Module {
        final Map<String, Module> heads = Map.of("a", new Linear(2, 2));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    static final class WithModuleList extends Module {
        final ModuleList layers = new ModuleList(new Linear(2, 2), new Linear(2, 2));
        final List<Module> alias = List.of(layers.get(0)); // elements already registered (through layers): fine

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void aPlainListOrMapOfModulesIsRefusedInsteadOfSilentlyNotTrained() {
        var e = assertThrows(IllegalStateException.class, () -> new WithPlainList().parameters());
        assertTrue(e.getMessage().contains("field WithPlainList.layers holds a List with 2 module(s) that are not "
                + "registered") && e.getMessage().contains("use ModuleList"), e.getMessage());
        var m = assertThrows(IllegalStateException.class, () -> new WithPlainMap().parameters());
        assertTrue(m.getMessage().contains("use ModuleDict"), m.getMessage());
        assertEquals(4, new WithModuleList().parameters().size());
    }

    static final class Tied extends Module {
        final Linear enc = new Linear(3, 3);
        final Linear dec = enc;

        @Override
        public Tensor forward(Tensor x) {
            return dec.forward(enc.forward(x));
        }
    }

    @Test
    void aModuleUnderTwoNamesIsInTheStateDictUnderBothAndTrainedOnce() {
        Tied t = new Tied();
        assertEquals(List.of("enc.weight", "enc.bias", "dec.weight", "dec.bias"), new ArrayList<>(t.stateDict().keySet()));
        assertEquals(2, t.parameters().size());
        assertEquals(List.of("", "enc"), new ArrayList<>(t.namedModules().keySet()));
        assertSame(t.stateDict().get("enc.weight"), t.stateDict().get("dec.weight"));
    }

    @Test
    void nonStrictLoadingReturnsMissingAndUnexpectedKeys() {
        Linear l = new Linear(2, 2);
        IncompatibleKeys k = l.loadStateDict(Map.of("weight", Tensor.ones(2, 2), "x", Tensor.zeros(1)), false);
        assertEquals(List.of("bias"), k.missingKeys());
        assertEquals(List.of("x"), k.unexpectedKeys());
        assertEquals("_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['x'])", k.toString());
        assertArrayEquals(new float[] {1, 1, 1, 1}, l.weight.toFloatArray());
        var strict = assertThrows(IllegalArgumentException.class,
                () -> l.loadStateDict(Map.of("x", Tensor.zeros(1))));
        assertEquals("Error(s) in loading state_dict for Linear: Missing key(s) in state_dict: \"weight\", \"bias\". "
                + "Unexpected key(s) in state_dict: \"x\".", strict.getMessage());
        var size = assertThrows(IllegalArgumentException.class,
                () -> l.loadStateDict(Map.of("weight", Tensor.zeros(3, 2)), false));
        assertEquals("Error(s) in loading state_dict for Linear: size mismatch for weight: copying a param with shape "
                + "torch.Size([3, 2]) from checkpoint, the shape in current model is torch.Size([2, 2]).", size.getMessage());
    }

    /** Returns (x, 2x): a module with a tuple output. */
    static final class Twice extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        @Override
        public List<Tensor> forward(List<Tensor> in) {
            return List.of(in.get(0), in.get(0).mul(2f));
        }
    }

    /** Takes two tensors and adds them. */
    static final class Add extends Module {
        @Override
        public Tensor forward(Tensor x) {
            throw new IllegalArgumentException("Add takes two tensors");
        }

        @Override
        public List<Tensor> forward(List<Tensor> in) {
            return List.of(in.get(0).add(in.get(1)));
        }
    }

    @Test
    void sequentialPassesSeveralTensorsFromOneModuleToTheNext() {
        Sequential s = new Sequential(new Twice(), new Add(), new ReLU());
        assertArrayEquals(new float[] {3f, 0f}, s.forward(Tensor.of(1f, -1f)).toFloatArray());
        Sequential bad = new Sequential(new Twice(), new ReLU());
        var e = assertThrows(IllegalArgumentException.class, () -> bad.forward(Tensor.of(1f)));
        assertEquals("ReLU.forward() takes 1 tensor but 2 were given", e.getMessage());
        assertEquals(2, new Sequential(new Twice()).forward(List.of(Tensor.of(1f))).size());
    }
}
