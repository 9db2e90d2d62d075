// Runs a Flight script as __main__ in Pyodide (CPython compiled to WebAssembly), as `python main.py`
// would: stdout and stderr interleaved in the order they are written, an uncaught exception printed by
// the interpreter's own sys.excepthook without this runner's frame, and the script's exit status.
// Usage: node run_pyodide.js PYODIDE_DIR SCRIPT_PATH_INSIDE SCRIPT_FILE
const path = require("path");
const fs = require("fs");
const [dir, inside, file] = process.argv.slice(2);
const { loadPyodide } = require(path.join(path.resolve(dir), "pyodide.js"));
(async () => {
  const out = [];
  const write = (s) => out.push(s);
  const py = await loadPyodide({ indexURL: path.resolve(dir) + path.sep, stdout: write, stderr: write });
  py.FS.mkdirTree(path.dirname(inside));
  py.FS.writeFile(inside, fs.readFileSync(file, "utf8"));
  py.globals.set("__script", inside);
  const rc = py.runPython(`
import sys
def __run(path):
    with open(path) as f:
        text = f.read()
    sys.argv = [path]
    try:
        code = compile(text, path, "exec")
    except SyntaxError as e:  # as CPython reports a syntax error in the main script: no traceback
        sys.excepthook(type(e), e.with_traceback(None), None)
        return 1
    try:
        exec(code, {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__})
    except SystemExit as e:
        if e.code is None:
            return 0
        if isinstance(e.code, int):
            return e.code
        print(e.code, file=sys.stderr)
        return 1
    except BaseException as e:
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next  # without this runner's frames
        sys.excepthook(type(e), e.with_traceback(tb), tb)  # CPython 3.10 prints e.__traceback__
        return 1
    return 0
__run(__script)`);
  process.stdout.write(out.map((s) => s + "\n").join(""));
  process.exit(rc);
})();
