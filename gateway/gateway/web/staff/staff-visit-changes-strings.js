// The texts of moving and cancelling a visit from its details (staff-visit-changes.js), in English and Spanish.
export const TEXTS = {
  en: {
    moveVisit: 'Move to another time', cancelVisit: 'Cancel the visit', moveTitle: 'Move this visit',
    moveHint: 'Free times with {who} for this visit type. Pick one, then confirm.', moveTo: 'Move to {when}',
    moveTaken: 'That time was just taken by someone else. These are the free times now.',
    moved: 'The visit is moved to {when}. The patient is told.', cancelTitle: 'Cancel this visit',
    cancelReason: 'Reason', cancelConfirm: 'Cancel the visit now', cancelled: 'The visit is cancelled. The patient is told.',
    lateWarning: 'This visit starts within {hours} hours: a change now is recorded as a late change.',
    recordedLate: 'Recorded as a late change.',
  },
  es: {
    moveVisit: 'Cambiar a otra hora', cancelVisit: 'Cancelar la cita', moveTitle: 'Cambiar esta cita',
    moveHint: 'Horas libres con {who} para este tipo de cita. Elija una y confirme.', moveTo: 'Cambiar al {when}',
    moveTaken: 'Alguien acaba de reservar esa hora. Estas son las horas libres ahora.',
    moved: 'La cita se cambió al {when}. Se avisa al paciente.', cancelTitle: 'Cancelar esta cita',
    cancelReason: 'Motivo', cancelConfirm: 'Cancelar la cita ahora', cancelled: 'La cita está cancelada. Se avisa al paciente.',
    lateWarning: 'Esta cita empieza dentro de {hours} horas: un cambio ahora queda registrado como cambio tardío.',
    recordedLate: 'Queda registrado como cambio tardío.',
  },
};
