package dev.linea.models;

import dev.linea.internal.Dropouts;

import dev.linea.Tensor;
import dev.linea.nn.Conv2d;
import dev.linea.nn.Linear;
import dev.linea.nn.MaxPool2d;
import dev.linea.nn.Module;

import static dev.linea.nn.functional.F.dropout;
import static dev.linea.nn.functional.F.relu;

/**
 * The convolutional network of the tutorial's "fully connected vs convolutional" lesson:
 * Conv(1→32, 3×3) ReLU MaxPool 2 → Conv(32→64, 3×3) ReLU MaxPool 2 → flatten (64·5·5 = 1600) →
 * Linear(1600, 128) ReLU → Linear(128, 10). The 3×3 filters are shared across the image; the fully
 * connected layers at the end fuse the features they found. 225,034 parameters, named as in PyTorch
 * ({@code conv1.weight} … {@code fc2.bias}). Input (N, 1, 28, 28); output (N, 10) logits.
 *
 * <pre>
 * class CNN(nn.Module):                             public class CNN extends Module {
 *     def __init__(self):                               public final Conv2d conv1 = new Conv2d(1, 32, 3);
 *         super().__init__()                            public final Conv2d conv2 = new Conv2d(32, 64, 3);
 *         self.conv1 = nn.Conv2d(1, 32, 3)              public final MaxPool2d pool = new MaxPool2d(2);
 *         self.conv2 = nn.Conv2d(32, 64, 3)             public final Linear fc1 = new Linear(1600, 128);
 *         self.pool = nn.MaxPool2d(2)                   public final Linear fc2 = new Linear(128, 10);
 *         self.fc1 = nn.Linear(1600, 128)
 *         self.fc2 = nn.Linear(128, 10)                 public Tensor forward(Tensor x) {
 *                                                           x = pool.forward(relu(conv1.forward(x)));
 *     def forward(self, x):                                 x = pool.forward(relu(conv2.forward(x)));
 *         x = self.pool(torch.relu(self.conv1(x)))          x = x.flatten(1, -1);
 *         x = self.pool(torch.relu(self.conv2(x)))          x = relu(fc1.forward(x));
 *         x = torch.flatten(x, 1)                           return fc2.forward(x);
 *         x = torch.relu(self.fc1(x))                   }
 *         return self.fc2(x)
 * </pre>
 *
 * {@link #CNN(float)} adds Dropout with probability {@code p} after the hidden fully connected layer
 * while training; it adds no parameters and prints nothing.
 */
public class CNN extends Module {
    public final Conv2d conv1 = new Conv2d(1, 32, 3);
    public final Conv2d conv2 = new Conv2d(32, 64, 3);
    public final MaxPool2d pool = new MaxPool2d(2);
    public final Linear fc1 = new Linear(1600, 128);
    public final Linear fc2;
    private final float p;

    /** The network without Dropout. */
    public CNN() {
        this(0f);
    }

    /** The network with Dropout of probability {@code p} (0 ≤ p ≤ 1; 0: none) after {@code fc1}. */
    public CNN(float p) {
        this(10, p);
    }

    /** The same network for {@code numClasses} classes of 28×28 grey images: {@code fc2} has that many outputs. */
    public CNN(int numClasses, float p) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("CNN needs at least 1 class, got num_classes " + numClasses);
        }
        this.p = Dropouts.checked(p);
        fc2 = new Linear(128, numClasses);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = pool.forward(relu(conv1.forward(x)));      // (N, 32, 13, 13)
        x = pool.forward(relu(conv2.forward(x)));      // (N, 64, 5, 5)
        x = x.flatten(1, -1);                          // (N, 1600)
        x = relu(fc1.forward(x));
        x = dropout(x, p, isTraining(), generator()); // a no-op unless p > 0 and training
        return fc2.forward(x);
    }
}
