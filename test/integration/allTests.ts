// Every integration test file, imported for its side effects (describe/it registrations). The
// suite is bundled into one file, so a new *.test.ts must be added here; the runners refuse to
// start when one is missing (test/host/common.ts checkAllTestsListed).
import './host.test';
import './textToVideo.test';
import './mediaModes.test';
import './jobsView.test';
import './security.test';
import './videoEditor.test';
import './panel.test';
import './chain.test';
import './gallery.test';
import './tour.test';
import './costGuard.test';
import './storyboard.test';
import './restricted.test';
import './firstHour.test';
import './scale.test';
import './soak.test';
import './zhCn.test';
// LAST: the window reloads right after its phase-1 test, with its job still running (see the file).
import './reload.test';
