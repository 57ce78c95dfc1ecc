"""Friendlier fields for the diabetes model: height and weight instead of BMI, a
named sex, and a result in words as well as the model's score."""


def preprocess(inputs):
    bmi = inputs["weight"] / (inputs["height"] / 100) ** 2
    sex = {"female": 1, "male": 2}[inputs["sex"]]
    return {"X": [[inputs["age"], sex, bmi, inputs["pressure"], inputs["glucose"]]]}


def postprocess(outputs, inputs):
    score = float(outputs["variable"][0][0])
    level = "low" if score < 100 else "moderate" if score < 200 else "high"
    bmi = inputs["weight"] / (inputs["height"] / 100) ** 2
    return {"summary": f"Progression {score:.0f} ({level}); BMI {bmi:.1f}"}
