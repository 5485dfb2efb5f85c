/**
 * Installed encoder models for the UI (main/node/models/registry): the list
 * the model picker shows and adding a user's own model folder, validated as
 * `latent-sky models --add DIR` does (manifest, ONNX signature, dry run).
 * Relative paths and '~' are refused: the renderer sends what a folder
 * dialog returned or what the user typed, and it must name one place.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { AppError } from '@app/core/errors';
import type { ModelsService } from '@app/contracts';
import { addModel, listModels } from '../models/registry';

export function modelsService(): ModelsService {
  return {
    async list() {
      return listModels();
    },
    async add({ path }) {
      if (!isAbsolute(path)) throw new AppError('BAD_INPUT', `model folder '${path}' must be an absolute path`);
      if (!existsSync(path) || !statSync(path).isDirectory()) throw new AppError('NOT_FOUND', `model folder ${path} does not exist or is not a folder`);
      return addModel(path);
    },
  };
}
