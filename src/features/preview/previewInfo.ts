/**
 * What the preview shows about a video, from what is known of it: its job, its sidecar, its codecs and
 * what this host can play. Pure (no `vscode` import): the session gathers the facts, this decides.
 */
import * as path from 'node:path';
import { l10n } from '../../core/common/l10n';
import { failureAdvice, modeLabel, shortPrompt } from '../../core/jobs/jobLabels';
import type { JobRecord } from '../../core/jobs/jobModel';
import type { Sidecar } from '../../core/jobs/sidecar';
import type { FilmSidecar } from '../../core/storyboard/film';
import type { CodecError, CodecReport } from '../../core/media/videoCodecs';
import { decidePlayability, type PlaybackHost } from '../../core/media/playability';
import type { PreviewInfo, PreviewLabels, PreviewSource } from '../../shared/protocol';
import { localizePlaybackNotes } from './playbackNotes';

export interface PreviewFacts<Target> {
  /** The video's path on disk. */
  file: string;
  /** The URL the webview loads it from (`asWebviewUri` plus a cache buster). */
  videoSrc: string;
  job?: JobRecord;
  sidecar?: Sidecar;
  codecs: CodecReport | CodecError;
  host: PlaybackHost;
  ffmpegAvailable: boolean;
  /** What a recorded media path or URL opens, if anything: a workspace file that still exists, a URL. */
  openTarget: (recorded: string) => Target | undefined;
  /** The user's language, for dates. */
  language: string;
  /** Where to resume playback after a reload. */
  startAt?: number;
  /** The film's sidecar, when the video is a storyboard's film. */
  film?: FilmSidecar;
  /** How long the file really is (seconds, from its container). */
  duration?: number;
}

export interface PreviewDecision<Target> {
  info: PreviewInfo;
  /** What each of `info.sources` opens, by index (the webview names a source by its index only). */
  targets: (Target | undefined)[];
  /** Why something may not play, for the log (empty when everything plays). */
  playbackReasons: string[];
}

export function buildPreviewInfo<Target>(facts: PreviewFacts<Target>): PreviewDecision<Target> {
  const { job, sidecar } = facts;
  const serverJob = sidecar?.job ?? job?.serverJob ?? {};
  const request = sidecar?.request ?? job?.request ?? {};
  const sources = madeFrom(request, facts.openTarget);
  const prompt = job?.prompt ?? sidecar?.prompt;
  const createdAt = job?.createdAt ?? (sidecar ? Date.parse(sidecar.createdAt) : undefined);
  const playability = decidePlayability(facts.codecs, facts.host);
  const codecs = facts.codecs;
  const info: PreviewInfo = {
    file: facts.file,
    fileName: path.basename(facts.file),
    videoSrc: facts.videoSrc,
    prompt,
    id: job?.id ?? sidecar?.id,
    mode: facts.film ? l10n.t('Film of a storyboard') : modeLabel(job?.mode ?? sidecar?.mode),
    parameters: facts.film ? [{ label: l10n.t('Storyboard'), value: facts.film.storyboard }, { label: l10n.t('Shots'), value: String(facts.film.shots.length) }] : parameters(request),
    sources: sources.map((s) => s.source),
    seconds: durationText(facts.duration ?? facts.film?.duration, facts.film ? undefined : (job?.seconds ?? stringField(serverJob, 'seconds')), facts.film ? undefined : stringField(request, 'seconds')),
    size: job?.size ?? stringField(serverJob, 'size'),
    createdAt: createdAt && Number.isFinite(createdAt) ? new Date(createdAt).toLocaleString(facts.language) : undefined,
    hasSidecar: sidecar !== undefined || facts.film !== undefined,
    playbackNotes: localizePlaybackNotes(playability, facts.host),
    expectAudio: codecs.ok && codecs.audio.length > 0 && playability.audio === 'playable',
    actions: {
      regenerate: prompt !== undefined,
      insertIntoDocument: true,
      openSystemPlayer: playability.offerSystemPlayer,
      makePlayableCopy: playability.offerPlayableCopy && facts.ffmpegAvailable,
      // The webview captures the frame where it can decode the video; ffmpeg where it cannot.
      continueFromLastFrame: playability.video !== 'unplayable' || facts.ffmpegAvailable,
      useAsReference: true,
    },
    labels: previewLabels(),
    startAt: facts.startAt,
    chapters: facts.film?.shots.map((shot) => ({ title: `${shot.index}. ${shot.title}`, start: shot.start, time: clock(shot.start) })),
  };
  return { info, targets: sources.map((s) => s.target), playbackReasons: playability.notes.length ? playability.reasons : [] };
}

/** The preview of a job that failed at the server: no video, its request, and the failure explained. */
export function buildFailedJobInfo<Target>(job: JobRecord, openTarget: (recorded: string) => Target | undefined, language: string): PreviewDecision<Target> {
  const noFile = { ok: false, kind: 'io', message: '' } as const;
  const { info, targets } = buildPreviewInfo({ file: job.id, videoSrc: '', job, codecs: noFile, host: { uiKind: 'web', appHost: '' }, ffmpegAvailable: false, openTarget, language });
  const advice = failureAdvice(job.failureKind);
  const none = { regenerate: false, insertIntoDocument: false, openSystemPlayer: false, makePlayableCopy: false, continueFromLastFrame: false, useAsReference: false };
  return {
    info: {
      ...info,
      fileName: shortPrompt(job.prompt, 80),
      videoSrc: undefined,
      playbackNotes: [],
      expectAudio: false,
      actions: { ...none, regenerate: advice.command !== 'omniVideo.regenerateJob' },
      failure: { serverMessage: job.error ?? '', sentence: advice.sentence, action: advice.action, actionDetail: advice.actionDetail },
    },
    targets,
    playbackReasons: [],
  };
}

/** The request's parameters beyond prompt and duration, as the preview lists them. */
function parameters(request: Record<string, unknown>): { label: string; value: string }[] {
  const rows: [string, string | undefined][] = [
    [l10n.t('Aspect ratio'), stringField(request, 'aspect_ratio')],
    [l10n.t('Resolution'), stringField(request, 'resolution')],
    [l10n.t('Frames per second'), stringField(request, 'fps')],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined).map(([label, value]) => ({ label, value }));
}

/**
 * The media a request was made from, as recorded (workspace paths or URLs; data URIs are not kept),
 * with what each opens.
 */
function madeFrom<Target>(request: Record<string, unknown>, openTarget: (recorded: string) => Target | undefined): { source: PreviewSource; target?: Target }[] {
  const entries: [string, unknown][] = [
    [l10n.t('First frame'), request.first_image_url],
    [l10n.t('Last frame'), request.last_image_url],
    ...(Array.isArray(request.images) ? request.images : []).map((image, i): [string, unknown] => [l10n.t('Reference {0}', i + 1), image]),
    [l10n.t('Clip'), request.video ?? request.video_url],
  ];
  return entries
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
    .slice(0, 16)
    .map(([role, recorded]) => {
      if (/^data:/i.test(recorded)) return { source: { role, text: l10n.t('inline data (not kept)'), openable: false } };
      const target = openTarget(recorded);
      return { source: { role, text: recorded, openable: target !== undefined }, target };
    });
}

/**
 * How long the video is: the file's own duration when it is known, with what the server said and what
 * was asked when they differ ("3.0 s (the server reported 5 s; 8 s requested)"); without the file's,
 * the server's word (the provider may return another length than asked: 8 → 5).
 */
export function durationText(measured: number | undefined, returned: string | undefined, requested: string | undefined): string | undefined {
  const seconds = l10n.t('s');
  if (measured === undefined) {
    if (!returned) return undefined;
    return requested && requested !== returned ? `${returned} ${seconds} (${l10n.t('{0} s requested', requested)})` : `${returned} ${seconds}`;
  }
  const differs = (claimed: string | undefined) => claimed !== undefined && Number.isFinite(Number(claimed)) && Math.abs(Number(claimed) - measured) >= 0.5;
  const notes = [
    differs(returned) ? l10n.t('the server reported {0} s', returned!) : undefined,
    differs(requested) && requested !== returned ? l10n.t('{0} s requested', requested!) : undefined,
  ].filter(Boolean);
  return `${measured.toFixed(1)} ${seconds}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** 83.4 → "1:23". */
function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The preview's fixed texts. */
export function previewLabels(): PreviewLabels {
  return {
    prompt: l10n.t('Prompt'),
    id: l10n.t('Job id'),
    duration: l10n.t('Duration'),
    size: l10n.t('Size'),
    created: l10n.t('Created'),
    reveal: l10n.t('Reveal in Explorer'),
    copyPrompt: l10n.t('Copy Prompt'),
    noMetadata: l10n.t('This video has no Omni Video sidecar, so its prompt and parameters are unknown.'),
    playbackError: l10n.t('This video cannot be played here.'),
    unmute: l10n.t('Playing muted: browsers only start playback with sound after a click. Use the volume control to unmute.'),
    regenerate: l10n.t('Regenerate'),
    insertIntoDocument: l10n.t('Insert into Document'),
    openSystemPlayer: l10n.t('Open in System Player'),
    makePlayableCopy: l10n.t('Make a Playable Copy'),
    noAudioDecoded: l10n.t('The audio track does not play here, so this video plays without sound.'),
    mode: l10n.t('Mode'),
    madeFrom: l10n.t('Made from'),
    continueFromLastFrame: l10n.t('Continue from Last Frame'),
    useAsReference: l10n.t('Use as Reference'),
    failed: l10n.t('This generation failed'),
    chapters: l10n.t('Chapters'),
    regenerateShot: l10n.t('Regenerate this shot'),
    serverSaid: l10n.t('The server said'),
  };
}
