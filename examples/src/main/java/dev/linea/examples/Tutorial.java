package dev.linea.examples;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.optim.Adam;

/**
 * The fully connected layer tutorial's PyTorch program, line for line in Java. The network itself is the
 * library's {@link FCNN} ({@code core/src/main/java/dev/linea/models/FCNN.java}), whose source is the
 * tutorial's class, shown there beside its PyTorch original; this is the program around it.
 *
 * <pre>
 * model = FCNN()                                  FCNN model = new FCNN();
 * criterion = nn.CrossEntropyLoss()               CrossEntropyLoss criterion = new CrossEntropyLoss();
 * optimizer = optim.Adam(model.parameters(),      Adam optimizer = new Adam(model.parameters(), 0.001);
 *                        lr=0.001)
 * print(model)                                    System.out.println(model);
 * for epoch in range(1):                          for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *     x = torch.randn(32, 1, 28, 28)                  Tensor x = Tensor.randn(32, 1, 28, 28);
 *     y = torch.randint(0, 10, (32,))                 Tensor y = Tensor.randint(0, 10, 32);
 *     output = model(x)                               Tensor output = model.forward(x);
 *     loss = criterion(output, y)                     Tensor loss = criterion.forward(output, y);
 *     optimizer.zero_grad()                           optimizer.zeroGrad();
 *     loss.backward()                                 loss.backward();
 *     optimizer.step()                                optimizer.step();
 * </pre>
 */
public final class Tutorial {

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
