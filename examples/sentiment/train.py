"""Movie-review sentiment classifier: TF-IDF (word 1-2 grams) + LogisticRegression.

Trained on a small hand-written corpus of short reviews (half positive, half
negative) and exported to ``model.onnx`` next to this script. Input: ``text``,
a string tensor of shape [None, 1]. Outputs (ZipMap disabled): ``label``
("negative"/"positive", shape [None]) and ``probabilities`` (float32, [None, 2],
columns in the order negative, positive).

Run: python examples/sentiment/train.py
Note: the StringNormalizer node has no ``locale`` attribute, so onnxruntime on
Linux constructs the ``en_US.UTF-8`` locale regardless of LC_ALL/LANG; it must be
installed (Debian: ``localedef -i en_US -f UTF-8 en_US.UTF-8``).
"""

import sys
from pathlib import Path

from onnx.helper import make_opsetid
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import StringTensorType
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

SEED = 0
OUT = Path(__file__).resolve().parent / "model.onnx"

POSITIVE: list[str] = [
    "A wonderful film with a moving story and great acting.",
    "I loved every minute of this movie.",
    "Brilliant performances and a beautiful soundtrack.",
    "One of the best movies I have seen this year.",
    "The plot was clever and the ending was perfect.",
    "A delightful, funny and heartwarming comedy.",
    "Stunning visuals and a gripping story.",
    "The cast is excellent and the script is sharp.",
    "An absolute masterpiece, I would watch it again.",
    "Charming characters and a truly touching ending.",
    "Highly recommended, a fantastic experience.",
    "The director did an amazing job with this one.",
    "Great fun from start to finish.",
    "I was smiling the whole time, what a lovely film.",
    "Smart, witty and full of heart.",
    "The acting was superb and the dialogue felt real.",
    "A thrilling adventure that kept me on the edge of my seat.",
    "Beautifully shot and wonderfully acted.",
    "This movie made me laugh and cry, I enjoyed it so much.",
    "An inspiring story told with great care.",
    "The best performance of her career.",
    "A fresh and original idea, executed brilliantly.",
    "I enjoyed it a lot, the pacing was just right.",
    "Excellent film, the kids loved it too.",
    "A powerful and memorable drama.",
    "Great soundtrack, great cast, great movie.",
    "It was even better than the book.",
    "Entertaining, exciting and beautifully made.",
    "A joy to watch, full of warmth and humor.",
    "Wonderful storytelling and a satisfying ending.",
    "The special effects were impressive and the story was strong.",
    "I would give it ten out of ten.",
    "A must see, easily my favorite film of the decade.",
    "Clever, touching and wonderfully funny.",
    "The chemistry between the leads was fantastic.",
    "Well written, well acted and a pleasure to watch.",
    "Amazing movie, I recommend it to everyone.",
    "A gorgeous and uplifting film.",
    "Solid plot, great twists and a terrific finale.",
    "I loved the characters and the beautiful scenery.",
]

NEGATIVE: list[str] = [
    "A boring film with a predictable story and bad acting.",
    "I hated every minute of this movie.",
    "Terrible performances and an annoying soundtrack.",
    "One of the worst movies I have seen this year.",
    "The plot was stupid and the ending made no sense.",
    "A dull, unfunny and tedious comedy.",
    "Ugly visuals and a confusing story.",
    "The cast is awful and the script is lazy.",
    "An absolute disaster, I want my money back.",
    "Flat characters and a disappointing ending.",
    "Not recommended, a complete waste of time.",
    "The director did a poor job with this one.",
    "Painful to sit through from start to finish.",
    "I was bored the whole time, what a dreadful film.",
    "Dumb, clumsy and completely soulless.",
    "The acting was wooden and the dialogue felt fake.",
    "A slow mess that nearly put me to sleep.",
    "Poorly shot and badly acted.",
    "This movie made me angry, I regret watching it.",
    "A pointless story told without any care.",
    "The worst performance of her career.",
    "A stale and unoriginal idea, executed badly.",
    "I did not enjoy it, the pacing was awful.",
    "Awful film, even the kids were bored.",
    "A weak and forgettable drama.",
    "Bad soundtrack, bad cast, bad movie.",
    "It was much worse than the book.",
    "Tedious, messy and cheaply made.",
    "A chore to watch, cold and humorless.",
    "Horrible storytelling and an unsatisfying ending.",
    "The special effects were cheap and the story was weak.",
    "I would give it one out of ten.",
    "Avoid it, easily the worst film of the decade.",
    "Silly, annoying and painfully unfunny.",
    "There was no chemistry between the leads at all.",
    "Badly written, badly acted and a pain to watch.",
    "Terrible movie, I would not recommend it to anyone.",
    "A depressing and disappointing film.",
    "Messy plot, silly twists and a boring finale.",
    "I disliked the characters and the story was a mess.",
]


def main(out: Path = OUT) -> None:
    texts = POSITIVE + NEGATIVE
    labels = ["positive"] * len(POSITIVE) + ["negative"] * len(NEGATIVE)
    model = Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("clf", LogisticRegression(C=10.0, max_iter=1000, random_state=SEED)),
        ]
    )
    model.fit(texts, labels)
    accuracy = model.score(texts, labels)
    print(f"train accuracy: {accuracy:.3f}, classes: {model.classes_.tolist()}")
    onx = convert_sklearn(
        model,
        initial_types=[("text", StringTensorType([None, 1]))],
        options={id(model): {"zipmap": False}},
        target_opset={"": 17, "ai.onnx.ml": 3},
        name="sentiment",  # fixed graph name (default: random uuid) => stable bytes
    )
    # skl2onnx lists opset domains in set order (varies with PYTHONHASHSEED): sort
    # them so that the exported bytes are reproducible.
    opsets = sorted((o.domain, o.version) for o in onx.opset_import)
    del onx.opset_import[:]
    onx.opset_import.extend(make_opsetid(domain, version) for domain, version in opsets)
    out.write_bytes(onx.SerializeToString())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
