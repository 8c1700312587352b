package dev.linea.cli;

import dev.linea.cli.serve.PredictionServer;
import dev.linea.cli.train.RunModel;
import dev.linea.inference.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code linea serve RUN [--port N]}: the model behind an HTTP endpoint and a drawing page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a trained model over HTTP: POST /predict (an image, or a JSON array of values in [0, 1]) "
                + "answers the top classes as JSON; GET /health describes the model; / is a page to draw or upload "
                + "a picture and see the top classes. Ctrl-C stops.",
                "Example: curl --data-binary @shoe.png -H 'Content-Type: image/png' http://127.0.0.1:8080/predict"})
final class ServeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder written by ./linea train, or a model "
            + "file with a model card (.safetensors).")
    Path run;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: "
            + "${DEFAULT-VALUE}, this machine only; 0.0.0.0: every interface).")
    String host;

    @Option(names = "--max-bytes", defaultValue = "" + PredictionServer.DEFAULT_MAX_BYTES,
            description = "Largest request body accepted, in bytes; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    int maxBytes;

    @Option(names = "--threads", defaultValue = "4", description = "Requests handled at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        Predictor predictor = Files.isRegularFile(run) ? Predictor.load(run) : RunModel.open(run, false).predictor();
        PredictionServer server;
        try {
            server = new PredictionServer(predictor, new InetSocketAddress(host, port), maxBytes, threads);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): another server there? Choose another --port, or 0 for any free one");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        var card = predictor.card();
        System.out.println("Serving " + card.architecture() + " (" + card.classNames().size() + " classes) from " + run
                + " on " + server.uri());
        System.out.println("  open " + server.uri() + " to draw or upload a picture; POST " + server.uri()
                + "predict takes an image or a JSON array of " + card.inputSize() + " values; Ctrl-C stops");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
