/**
 * Data for training, in two layers.
 *
 * <p>Raw: the IDX file format ({@link dev.linea.data.Idx}), finding data sets on disk
 * ({@link dev.linea.data.DataLocator}) and loading them as plain byte arrays
 * ({@link dev.linea.data.ImageSet}), including a small Fashion-MNIST sample from the class path (the {@code linea-sample-data} jar); one
 * image file (PNG, JPEG, ...) as a {@link dev.linea.data.GrayImage} ({@link dev.linea.data.ImageFiles}).
 * Every reader bounds the memory a bad file can make it allocate.
 *
 * <p>Tensors: {@link dev.linea.data.Dataset}s of {@link dev.linea.data.Example}s
 * ({@link dev.linea.data.TensorDataset}, {@link dev.linea.data.ImageDataset}, loaded per split by
 * {@link dev.linea.data.IdxImages} and its faces {@link dev.linea.data.FashionMNIST} and
 * {@link dev.linea.data.MNIST}), image transforms
 * ({@link dev.linea.data.ToTensor}, {@link dev.linea.data.Normalize}), and the
 * {@link dev.linea.data.DataLoader}, which shuffles reproducibly from a seed and prefetches
 * {@link dev.linea.data.Batch}es on a background thread.
 *
 * <p>Your own data: {@link dev.linea.data.CsvDataset} (a CSV table: numeric feature columns and a label column
 * by name), {@link dev.linea.data.ImageFolder} (one sub-folder of PNG/JPEG images per class, as torchvision's)
 * and {@link dev.linea.data.Subset#randomSplit} (train/test parts, seeded).
 */
package dev.linea.data;
