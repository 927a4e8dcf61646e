"""The Keras side of examples/keras-distributed.ts: trains a strata-written `.keras` model
under Keras 3's data-parallel distribution and writes the trained model back.

    XLA_FLAGS=--xla_force_host_platform_device_count=2 KERAS_BACKEND=jax \\
        python examples/keras-distributed/train_distributed.py out/keras-distributed [--epochs N]

Reads `strata_model.keras`, `x_train.npy`, `y_train.npy`, `x_test.npy`, `y_test.npy` from the
folder; writes `keras_trained.keras` and `keras_predictions.json` (Keras' test predictions,
which the strata side compares its own against). On one machine the XLA flag splits the CPU
into 2 devices; on a cluster the same script runs unchanged on every host after
`keras.distribution.initialize()` (see docs/keras-distributed.md).
"""
import argparse
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("folder")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--batch-size", type=int, default=128, help="global batch; each device gets an equal share")
args = parser.parse_args()

if os.environ.get("KERAS_DISTRIBUTED_MULTIHOST"):
    # On a cluster: one process per host, coordinated through the environment (JAX reads
    # the coordinator address, process count and id from it).
    keras.distribution.initialize()

devices = keras.distribution.list_devices()
# Data parallelism: every device holds a full copy of the weights and gets 1/n of each batch;
# gradients are averaged across devices at every step.
keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
print(f"training on {len(devices)} devices: {devices}")

d = args.folder
model = keras.models.load_model(os.path.join(d, "strata_model.keras"))
x_train, y_train = np.load(os.path.join(d, "x_train.npy")), np.load(os.path.join(d, "y_train.npy"))
x_test, y_test = np.load(os.path.join(d, "x_test.npy")), np.load(os.path.join(d, "y_test.npy"))
keras.utils.set_random_seed(1)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=2)
loss, acc = model.evaluate(x_test, y_test, verbose=0)
print(f"Keras, after {args.epochs} distributed epochs: test accuracy {acc:.4f}")

# Save and record predictions without the distribution, as a single-device user would load it.
keras.distribution.set_distribution(None)
model.save(os.path.join(d, "keras_trained.keras"))
trained = keras.models.load_model(os.path.join(d, "keras_trained.keras"))
pred = np.asarray(trained.predict(x_test, verbose=0))
with open(os.path.join(d, "keras_predictions.json"), "w") as f:
    json.dump({
        "devices": [str(x) for x in devices], "n": int(len(x_test)),
        "predictions": pred.ravel().tolist(), "labels": y_test.astype(int).ravel().tolist(),
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
    }, f)
print(f"wrote {d}/keras_trained.keras and keras_predictions.json")
