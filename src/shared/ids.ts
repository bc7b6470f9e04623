/** Names the manifest (package.json) and the code share; test/unit/manifest.test.ts checks they agree. */

/** The preview panel of `omniVideo.openPreview`, one per file. */
export const PREVIEW_VIEW_TYPE = 'omniVideo.preview';
/** The custom editor ("Open With… → Omni Video Preview"): the same preview for any video file. */
export const VIDEO_EDITOR_VIEW_TYPE = 'omniVideo.videoPreview';
export const PANEL_VIEW_TYPE = 'omniVideo.generationPanel';
export const GALLERY_VIEW_TYPE = 'omniVideo.gallery';
export const USAGE_VIEW_TYPE = 'omniVideo.usage';
export const COMPARE_VIEW_TYPE = 'omniVideo.compareTakes';
export const JOBS_VIEW_ID = 'omniVideo.jobs';
/** Internal, not contributed: the counts of live objects (src/webview/liveObjects.ts). */
export const LIVE_OBJECTS_COMMAND = 'omniVideo.internal.liveObjects';

/** The file types media slots, pickers and the explorer menus take (read from the bytes before sending). */
export const IMAGE_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg', 'webp', 'gif'];
export const VIDEO_EXTENSIONS: readonly string[] = ['mp4', 'mov', 'webm'];
/** Every video file of a workspace, for `findFiles` and file watchers. */
export const VIDEO_GLOB = `**/*.{${VIDEO_EXTENSIONS.join(',')}}`;

/** The Get Started walkthrough (package.json `contributes.walkthroughs`). */
export const WALKTHROUGH_ID = 'omniVideo.gettingStarted';
/** The Get Started walkthrough's steps and the commands that complete each (src/host/walkthroughProgress.ts). */
export const WALKTHROUGH_STEP_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  setApiKey: ['omniVideo.setApiKey'],
  firstVideo: ['omniVideo.generate', 'omniVideo.openPanel', 'omniVideo.generateFromSelection'],
  animateImage: ['omniVideo.imageToVideo', 'omniVideo.interpolate', 'omniVideo.referencesToVideo'],
  chainClips: ['omniVideo.continueFromLastFrame', 'omniVideo.openGallery', 'omniVideo.generateStoryboard'],
};
/** `omniVideo.walkthrough.firstVideo`: the context key a step also completes on, once one of its commands ran. */
export const walkthroughContextKey = (step: string) => `omniVideo.walkthrough.${step}`;
