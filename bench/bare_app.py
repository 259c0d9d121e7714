"""The ceiling for the load benchmark: a Flask route that does nothing, served the
same way as voiceshop (gunicorn, same workers and threads)."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/v1/turn")
def turn():
    return jsonify(reply="")
