// The no-op decision on Python 3.10 (pip 23.0.1, which reads installed
// metadata through pkg_resources); pip is asked where venvctl answers without it.
import { decisionSuite } from "../helpers/install-decision.js";

decisionSuite("3.10", "pip 23.0.1", "satisfied");
