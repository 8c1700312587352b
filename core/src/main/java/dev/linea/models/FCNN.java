package dev.linea.models;

import dev.linea.internal.Dropouts;

import dev.linea.Tensor;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;

import static dev.linea.nn.functional.F.dropout;
import static dev.linea.nn.functional.F.relu;

/**
 * The fully connected layer tutorial's network, line for line: 784 → 128 → 64 → 10 with ReLU between the
 * layers, 109,386 parameters named {@code fc1.weight}, {@code fc1.bias}, … {@code fc3.bias} as in PyTorch,
 * so a state dict moves between the two. Input (N, 1, 28, 28) or (N, 784); output (N, 10) logits.
 *
 * <pre>
 * class FCNN(nn.Module):                          public class FCNN extends Module {
 *     def __init__(self):                             public final Linear fc1 = new Linear(784, 128);
 *         super(FCNN, self).__init__()                public final Linear fc2 = new Linear(128, 64);
 *         self.fc1 = nn.Linear(784, 128)              public final Linear fc3 = new Linear(64, 10);
 *         self.fc2 = nn.Linear(128, 64)
 *         self.fc3 = nn.Linear(64, 10)                public Tensor forward(Tensor x) {
 *                                                         x = x.view(-1, 784);
 *     def forward(self, x):                               x = relu(fc1.forward(x));
 *         x = x.view(-1, 784)                             x = relu(fc2.forward(x));
 *         x = torch.relu(self.fc1(x))                     return fc3.forward(x);
 *         x = torch.relu(self.fc2(x))                 }
 *         x = torch.softmax(self.fc3(x), dim=1)
 *         return x                                    FCNN model = new FCNN();
 *                                                     System.out.println(model);   // as PyTorch prints it
 * model = FCNN()
 * print(model)
 * </pre>
 *
 * One deliberate change: the tutorial ends {@code forward} with a softmax and then feeds the result to
 * {@code CrossEntropyLoss}, which applies (log-)softmax itself, so softmax runs twice and learning slows.
 * Here {@code forward} returns the logits, as PyTorch's documentation prescribes; {@link #predict} applies
 * the softmax for reading probabilities.
 *
 * <p>{@link #FCNN(float)} adds the tutorial's cure for overfitting: Dropout with probability {@code p}
 * after each hidden layer while training ({@code F.dropout(x, p, self.training)}). It adds no parameters
 * and prints nothing, so a model trained with it loads into the plain one.
 */
public class FCNN extends Module {
    public final Linear fc1;
    public final Linear fc2;
    public final Linear fc3;
    private final int inFeatures;
    private final float p;

    /** The tutorial's network, without Dropout. */
    public FCNN() {
        this(0f);
    }

    /** The network with Dropout of probability {@code p} (0 ≤ p ≤ 1; 0: none) after each hidden layer. */
    public FCNN(float p) {
        this(784, 10, p);
    }

    /**
     * The same hidden layers (128 → 64) over other data: {@code inFeatures} inputs (a CSV table's feature columns,
     * an image's H × W pixels) and {@code numClasses} outputs. Input (N, inFeatures) or anything that flattens to
     * it, e.g. (N, 1, H, W); output (N, numClasses) logits.
     */
    public FCNN(int inFeatures, int numClasses, float p) {
        if (inFeatures < 1 || numClasses < 1) {
            throw new IllegalArgumentException("FCNN needs at least 1 input and 1 class, got in_features " + inFeatures
                    + " and num_classes " + numClasses);
        }
        this.p = Dropouts.checked(p);
        this.inFeatures = inFeatures;
        fc1 = new Linear(inFeatures, 128);
        fc2 = new Linear(128, 64);
        fc3 = new Linear(64, numClasses);
    }

    /** The number of inputs, 784 for the tutorial's 28×28 images. */
    public int inFeatures() {
        return inFeatures;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = x.view(-1, inFeatures);                    // flatten the 28×28 images (or the rows of features)
        x = relu(fc1.forward(x));                      // first hidden layer
        x = dropout(x, p, isTraining(), generator()); // a no-op unless p > 0 and training
        x = relu(fc2.forward(x));                      // second hidden layer
        x = dropout(x, p, isTraining(), generator());
        return fc3.forward(x);                         // logits: CrossEntropyLoss applies softmax itself
    }

    /** Class probabilities, (N, classes): the softmax the tutorial put at the end of {@code forward}. */
    public Tensor predict(Tensor x) {
        return forward(x).softmax(1);
    }
}
