import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { DocumentImportService } from '@zhibing/knowledge';
import { MAX_DOCUMENT_BYTES, ZhibingError } from '@zhibing/protocol';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';

/** Documents of a knowledge base: upload (cut into passages), list with passage counts, delete. */
@ApiTags('knowledge')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/knowledge-bases/:kb/documents')
export class KnowledgeDocumentsController {
  constructor(private readonly documents: DocumentImportService) {}

  /** multipart/form-data with one `file` field: Markdown, text, HTML, PDF or DOCX, up to 20 MiB. */
  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: '.md, .txt, .html, .pdf or .docx' } },
    },
  })
  // One byte over the limit is enough for the service to answer document_too_large itself.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1 } }))
  upload(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    if (!file) throw new ZhibingError('document_invalid', 'Send the document as the multipart field "file"');
    // Browsers send UTF-8 file names that multer decodes as Latin-1.
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    return this.documents.import(principal.workspaceId, kb, { name, mediaType: file.mimetype, bytes: file.buffer });
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Param('kb') kb: string) {
    return this.documents.list(principal.workspaceId, kb);
  }

  /** Deletes the document and every passage cut from it. */
  @Delete(':name')
  @HttpCode(200)
  remove(@CurrentPrincipal() principal: Principal, @Param('kb') kb: string, @Param('name') name: string) {
    return this.documents.delete(principal.workspaceId, kb, name);
  }
}
