"""A second, independent PII evaluation (issue #20 item 1): template-split English sentences,
hand-written chat messages, native-language sentences, PII-free technical texts and reply
restatements. See README.md."""
