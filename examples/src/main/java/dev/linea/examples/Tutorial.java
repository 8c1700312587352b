package dev.linea.examples;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.optim.Adam;

import static dev.linea.nn.functional.F.relu;

/**
 * The fully connected layer tutorial's PyTorch program, line for line in Java.
 *
 * <pre>
 * class FCNN(nn.Module):                       class FCNN extends Module
 *     fc1 = nn.Linear(784, 128) ...                Linear fc1 = new Linear(784, 128) ...
 *     def forward(self, x):                        public Tensor forward(Tensor x)
 *         x = x.view(-1, 784)                          x = x.view(-1, 784)
 *         x = torch.relu(self.fc1(x))                  x = relu(fc1.forward(x))
 * </pre>
 *
 * One deliberate change: the tutorial ends {@code forward} with a softmax and then feeds the result to
 * CrossEntropyLoss, which applies (log-)softmax itself, so softmax runs twice and learning slows. Here
 * {@code forward} returns the logits, as PyTorch's documentation prescribes; {@link #predict} applies
 * softmax for reading probabilities.
 */
public final class Tutorial {

    /** The tutorial's network: 784 → 128 → 64 → 10, ReLU between the layers. */
    public static class FCNN extends Module {
        final Linear fc1 = new Linear(784, 128);
        final Linear fc2 = new Linear(128, 64);
        final Linear fc3 = new Linear(64, 10);

        @Override
        public Tensor forward(Tensor x) {
            x = x.view(-1, 784);          // flatten the 28×28 images
            x = relu(fc1.forward(x));     // first hidden layer
            x = relu(fc2.forward(x));     // second hidden layer
            return fc3.forward(x);        // logits: CrossEntropyLoss applies softmax itself
        }

        /** Class probabilities: the softmax the tutorial put at the end of forward. */
        public Tensor predict(Tensor x) {
            return forward(x).softmax(1);
        }
    }

    private Tutorial() {}

    /**
     * Runs the tutorial: builds the model, prints it, and takes one training step per epoch on a random
     * batch, printing the loss. The optional argument is the number of epochs (default 1, as the tutorial).
     */
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Linea.manualSeed(42);

        FCNN model = new FCNN();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam optimizer = new Adam(model.parameters(), 0.001);
        System.out.println(model);

        for (int epoch = 0; epoch < epochs; epoch++) {
            Tensor x = Tensor.randn(32, 1, 28, 28);    // a batch of 32 random 28×28 "images"
            Tensor y = Tensor.randint(0, 10, 32);      // random labels 0..9
            Tensor output = model.forward(x);
            Tensor loss = criterion.forward(output, y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            System.out.printf("Epoch [%d], Loss: %.4f%n", epoch + 1, loss.item());
        }
    }
}
