.PHONY: setup run test
setup: ; bash tools/setup.sh
run: ; bash tools/run.sh
test: ; bash tools/test.sh
